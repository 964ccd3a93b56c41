#!/usr/bin/env python3
"""A Weft pull worker for RegisterUser's activities, standard library only.

    python3 examples/workers/python/worker.py [URL] [--token-file FILE] [--confirm-after SECONDS]

URL defaults to $WEFT_URL or http://127.0.0.1:7400. The protocol
(docs/workers.md): poll for tasks, run them, complete or fail each one.

- SendActivationEmail is awaited: the task is acknowledged at once and the
  flow waits for a callback, which this worker posts itself after
  --confirm-after seconds (1 by default), as if the user clicked the link.
  Addresses starting with "decline" decline, to show the flow's other branch.
- Activities run at least once: answers are remembered by call id, so a
  redelivered task gets the same answer (no second reservation or account).
- A 404 on complete or fail means the task moved on (answered, cancelled or
  replaced by a newer attempt): not an error.
- When the server is away (or answers 5xx), polls back off with jitter, up
  to 10 seconds apart, and the outage is logged once.

Tasks run one at a time and finish well within the 30 s lease, so this
worker needs no heartbeats; a slow task would POST /v1/tasks/{id}/heartbeat
every few seconds.
"""

import collections
import json
import os
import random
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ACTIVITIES = ["ReserveNick", "SendActivationEmail", "CreateAccount", "RemoveReservation"]
POLL_WAIT_MS = 20_000  # a long poll: the server answers as soon as a task arrives
POLL_MAX = 8  # tasks per poll
BACKOFF_MIN, BACKOFF_MAX = 0.1, 10.0  # seconds between tries while the server is away
REPORT_RETRY_MAX = 60.0  # seconds to keep trying to report one result
ANSWERS_MAX = 10_000  # answers remembered for deduplication


def log(msg):
    print(f"python-worker: {msg}", file=sys.stderr, flush=True)


class ApiError(Exception):
    """The server answered with an error: {"error": {"code", "message"}}."""

    def __init__(self, status, code, message):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code = status, code

    @property
    def transient(self):
        return self.status >= 500 or self.status in (408, 429)


class Unreachable(Exception):
    """No answer: the server is down or unreachable."""

    transient = True


class Permanent(Exception):
    """A failure retrying cannot fix: reported with retryable: false."""


class Weft:
    def __init__(self, url, token=None):
        self.url, self.token = url.rstrip("/"), token

    def post(self, path, body, timeout=30.0, auth=True):
        req = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"content-type": "application/json"},
        )
        if auth and self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                raw = resp.read()
                return json.loads(raw) if raw.strip() else None
        except urllib.error.HTTPError as e:  # before URLError: it is one
            try:
                err = json.loads(e.read())["error"]
                raise ApiError(e.code, err["code"], err["message"]) from None
            except (ValueError, KeyError, TypeError):
                raise ApiError(e.code, "http", e.reason) from None
        except (urllib.error.URLError, OSError) as e:
            raise Unreachable(str(getattr(e, "reason", e))) from None

    def callback(self, token, value):
        # The callback token is the credential: no bearer token.
        quoted = urllib.parse.quote(token, safe="")
        self.post(f"/v1/callbacks/{quoted}", {"value": value}, auth=False)


# ----- the activities -----

lock = threading.Lock()
reservations = {}  # reservation id -> nick
accounts = {}  # nick -> account id
answers = collections.OrderedDict()  # call id -> first answer
next_id = [0]


def new_id():
    next_id[0] += 1
    return next_id[0]


def once(fn):
    """Deduplicates on the call id: a redelivered task gets the first answer."""

    def wrapper(task, weft, opts):
        with lock:
            if task["callId"] in answers:
                return answers[task["callId"]]
            value = fn(task, weft, opts)
            answers[task["callId"]] = value
            if len(answers) > ANSWERS_MAX:
                answers.popitem(last=False)
            return value

    return wrapper


@once
def reserve_nick(task, weft, opts):
    nick = task["args"][0] if task["args"] else None
    if not isinstance(nick, str) or not nick:
        raise Permanent("ReserveNick needs a nick (text)")
    if nick in reservations.values() or nick in accounts:
        return {"status": "taken", "nick": nick}
    rid = new_id()
    reservations[rid] = nick
    return {"status": "ok", "nick": nick, "ID": rid}


@once
def send_activation_email(task, weft, opts):
    token = task.get("callbackToken")
    if not token:
        raise Permanent("SendActivationEmail must be awaited")
    email = task["args"][0] if task["args"] else "?"
    answer = {"status": "declined" if str(email).startswith("decline") else "ok"}
    print(f"e-mail to {email}: confirm with POST {weft.url}/v1/callbacks/{token}", flush=True)

    def click():
        try:
            weft.callback(token, answer)
            log(f"{email} answered: {answer['status']}")
        except (ApiError, Unreachable) as e:  # 409: answered already or timed out
            log(f"the callback for {email} was not taken: {e}")

    # After the acknowledgement below: the user clicks later.
    timer = threading.Timer(opts["confirm_after"], click)
    timer.daemon = True
    timer.start()
    return None  # the acknowledgement; the callback's value is what the flow gets


@once
def create_account(task, weft, opts):
    data = task["args"][0] if task["args"] else None
    if not isinstance(data, dict) or not isinstance(data.get("nick"), str):
        raise Permanent("CreateAccount needs {nick, email}")
    aid = new_id()
    accounts[data["nick"]] = aid
    for rid, nick in list(reservations.items()):
        if nick == data["nick"]:
            del reservations[rid]
    return {"status": "ok", "id": aid}


def remove_reservation(task, weft, opts):
    # Idempotent by nature: removing twice is removing once.
    with lock:
        reservations.pop(task["args"][0] if task["args"] else None, None)
    return {"status": "ok"}


HANDLERS = {
    "ReserveNick": reserve_nick,
    "SendActivationEmail": send_activation_email,
    "CreateAccount": create_account,
    "RemoveReservation": remove_reservation,
}

# ----- the loop -----


def sleep_backoff(delay):
    """Sleeps about `delay` (half fixed, half random); returns the next delay."""
    time.sleep(delay / 2 + random.uniform(0, delay / 2))
    return min(delay * 2, BACKOFF_MAX)


def report(weft, task, path, body):
    """Reports a result, retrying while the server is away; 404 is fine."""
    delay, started = BACKOFF_MIN, time.monotonic()
    tid = urllib.parse.quote(task["taskId"], safe="")
    while True:
        try:
            weft.post(f"/v1/tasks/{tid}/{path}", body)
            return
        except ApiError as e:
            if e.status == 404:
                log(f"task {task['taskId']} moved on; its result is dropped")
                return
            if not e.transient:
                log(f"task {task['taskId']}: the report was refused: {e}")
                return
            err = e
        except Unreachable as e:
            err = e
        if time.monotonic() - started > REPORT_RETRY_MAX:
            log(f"task {task['taskId']}: gave up reporting ({err}); it will be handed out again")
            return
        delay = sleep_backoff(delay)


def run_task(weft, task, opts):
    handler = HANDLERS.get(task["activity"])
    try:
        if handler is None:
            raise Permanent(f"no handler for {task['activity']}")
        value = handler(task, weft, opts)
    except Permanent as e:
        report(weft, task, "fail", {"error": str(e), "retryable": False})
    except Exception as e:  # a bug or a flaky dependency: worth a retry
        report(weft, task, "fail", {"error": f"{type(e).__name__}: {e}", "retryable": True})
    else:
        report(weft, task, "complete", {"value": value})


def main(argv):
    url = os.environ.get("WEFT_URL", "http://127.0.0.1:7400")
    token_file = os.environ.get("WEFT_TOKEN_FILE")
    opts = {"confirm_after": 1.0}
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--token-file" and args:
            token_file = args.pop(0)
        elif a == "--confirm-after" and args:
            opts["confirm_after"] = float(args.pop(0))
        elif a.startswith(("http://", "https://")):
            url = a
        else:
            print(__doc__, file=sys.stderr)
            return 2
    token = open(token_file).read().strip() if token_file else None
    weft = Weft(url, token)
    name = f"python-{os.getpid()}"

    # SIGTERM: finish the task at hand, then stop; while polling, stop now
    # (a task leased in that instant comes back when its lease ends).
    state = {"busy": False, "stop": False}

    def on_term(signum, frame):
        state["stop"] = True
        if not state["busy"]:
            raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_term)
    log(f"{name} polls {url} for {', '.join(ACTIVITIES)}")
    delay, down_since = BACKOFF_MIN, None
    while not state["stop"]:
        try:
            answer = weft.post(
                "/v1/tasks/poll",
                {"activities": ACTIVITIES, "worker": name, "max": POLL_MAX, "waitMs": POLL_WAIT_MS},
                timeout=POLL_WAIT_MS / 1000 + 10,
            )
        except (ApiError, Unreachable) as e:
            if not e.transient:
                log(f"polling stopped: {e}")
                return 1
            if down_since is None:  # once per outage, not per attempt
                log(f"the server is away ({e}); retrying up to {BACKOFF_MAX:g}s apart")
                down_since = time.monotonic()
            delay = sleep_backoff(delay)
            continue
        if down_since is not None:
            log(f"the server is back after {time.monotonic() - down_since:.1f}s")
            delay, down_since = BACKOFF_MIN, None
        tasks = answer.get("tasks", [])
        state["busy"] = True
        for task in tasks:
            run_task(weft, task, opts)
        state["busy"] = False
        if not tasks:
            time.sleep(0.25)  # a server that answers at once is not asked in a tight loop
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(0)
