--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: weft_golden_src; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA weft_golden_src;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: audit; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.audit (
    id bigint NOT NULL,
    at bigint NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    detail json NOT NULL,
    matched bigint NOT NULL,
    applied bigint DEFAULT 0 NOT NULL,
    failed bigint DEFAULT 0 NOT NULL,
    done_at bigint
);


--
-- Name: audit_id_seq; Type: SEQUENCE; Schema: weft_golden_src; Owner: -
--

CREATE SEQUENCE weft_golden_src.audit_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_id_seq; Type: SEQUENCE OWNED BY; Schema: weft_golden_src; Owner: -
--

ALTER SEQUENCE weft_golden_src.audit_id_seq OWNED BY weft_golden_src.audit.id;


--
-- Name: audit_runs; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.audit_runs (
    seq bigint NOT NULL,
    audit_id bigint NOT NULL,
    run_id text NOT NULL COLLATE pg_catalog."C",
    failure text
);


--
-- Name: audit_runs_seq_seq; Type: SEQUENCE; Schema: weft_golden_src; Owner: -
--

CREATE SEQUENCE weft_golden_src.audit_runs_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_runs_seq_seq; Type: SEQUENCE OWNED BY; Schema: weft_golden_src; Owner: -
--

ALTER SEQUENCE weft_golden_src.audit_runs_seq_seq OWNED BY weft_golden_src.audit_runs.seq;


--
-- Name: deployment_flows; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.deployment_flows (
    flow text NOT NULL COLLATE pg_catalog."C",
    version bigint NOT NULL
);


--
-- Name: deployments; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.deployments (
    version bigint NOT NULL,
    flows json NOT NULL,
    files json NOT NULL,
    created_at bigint NOT NULL,
    program json
);


--
-- Name: events; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.events (
    seq bigint NOT NULL,
    id text NOT NULL COLLATE pg_catalog."C",
    type text NOT NULL COLLATE pg_catalog."C",
    subject text COLLATE pg_catalog."C",
    data json NOT NULL,
    source text COLLATE pg_catalog."C",
    received_at bigint NOT NULL,
    starts json NOT NULL
);


--
-- Name: events_seq_seq; Type: SEQUENCE; Schema: weft_golden_src; Owner: -
--

CREATE SEQUENCE weft_golden_src.events_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: events_seq_seq; Type: SEQUENCE OWNED BY; Schema: weft_golden_src; Owner: -
--

ALTER SEQUENCE weft_golden_src.events_seq_seq OWNED BY weft_golden_src.events.seq;


--
-- Name: idempotency_keys; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.idempotency_keys (
    key text NOT NULL COLLATE pg_catalog."C",
    run_id text NOT NULL COLLATE pg_catalog."C"
);


--
-- Name: inbox; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.inbox (
    id bigint NOT NULL,
    run_id text NOT NULL COLLATE pg_catalog."C",
    event json NOT NULL,
    created_at bigint DEFAULT ((EXTRACT(epoch FROM clock_timestamp()) * (1000)::numeric))::bigint NOT NULL
);


--
-- Name: inbox_id_seq; Type: SEQUENCE; Schema: weft_golden_src; Owner: -
--

CREATE SEQUENCE weft_golden_src.inbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: inbox_id_seq; Type: SEQUENCE OWNED BY; Schema: weft_golden_src; Owner: -
--

ALTER SEQUENCE weft_golden_src.inbox_id_seq OWNED BY weft_golden_src.inbox.id;


--
-- Name: journal; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.journal (
    run_id text NOT NULL COLLATE pg_catalog."C",
    step bigint NOT NULL,
    entries json NOT NULL,
    cause json
);


--
-- Name: machine_commands; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.machine_commands (
    machine text NOT NULL COLLATE pg_catalog."C",
    key text NOT NULL COLLATE pg_catalog."C",
    seq bigint NOT NULL,
    command_id text NOT NULL COLLATE pg_catalog."C",
    status text NOT NULL COLLATE pg_catalog."C",
    record json NOT NULL
);


--
-- Name: machine_events; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.machine_events (
    id bigint NOT NULL,
    event json NOT NULL
);


--
-- Name: machine_events_id_seq; Type: SEQUENCE; Schema: weft_golden_src; Owner: -
--

CREATE SEQUENCE weft_golden_src.machine_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: machine_events_id_seq; Type: SEQUENCE OWNED BY; Schema: weft_golden_src; Owner: -
--

ALTER SEQUENCE weft_golden_src.machine_events_id_seq OWNED BY weft_golden_src.machine_events.id;


--
-- Name: machine_fields; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.machine_fields (
    machine text NOT NULL COLLATE pg_catalog."C",
    key text NOT NULL COLLATE pg_catalog."C",
    path text NOT NULL COLLATE pg_catalog."C",
    kind text NOT NULL COLLATE pg_catalog."C",
    num double precision,
    text text COLLATE pg_catalog."C"
);


--
-- Name: machine_inbox; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.machine_inbox (
    id bigint NOT NULL,
    machine text NOT NULL COLLATE pg_catalog."C",
    key text NOT NULL COLLATE pg_catalog."C",
    event json NOT NULL,
    created_at bigint DEFAULT ((EXTRACT(epoch FROM clock_timestamp()) * (1000)::numeric))::bigint NOT NULL
);


--
-- Name: machine_inbox_id_seq; Type: SEQUENCE; Schema: weft_golden_src; Owner: -
--

CREATE SEQUENCE weft_golden_src.machine_inbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: machine_inbox_id_seq; Type: SEQUENCE OWNED BY; Schema: weft_golden_src; Owner: -
--

ALTER SEQUENCE weft_golden_src.machine_inbox_id_seq OWNED BY weft_golden_src.machine_inbox.id;


--
-- Name: machine_instances; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.machine_instances (
    machine text NOT NULL COLLATE pg_catalog."C",
    key text NOT NULL COLLATE pg_catalog."C",
    state json NOT NULL,
    version bigint NOT NULL,
    next_seq bigint NOT NULL,
    finished bigint NOT NULL,
    indexed boolean NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    owner text COLLATE pg_catalog."C",
    lease_until bigint DEFAULT 0 NOT NULL,
    epoch bigint DEFAULT 0 NOT NULL
)
WITH (fillfactor='80');


--
-- Name: parked_inbox; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.parked_inbox (
    id bigint NOT NULL,
    run_id text NOT NULL COLLATE pg_catalog."C",
    event json NOT NULL,
    created_at bigint NOT NULL
);


--
-- Name: parked_runs; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.parked_runs (
    run_id text NOT NULL COLLATE pg_catalog."C",
    reason json NOT NULL,
    parked_at bigint NOT NULL
);


--
-- Name: parked_tasks; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.parked_tasks (
    run_id text NOT NULL COLLATE pg_catalog."C",
    call_id text NOT NULL COLLATE pg_catalog."C",
    task json NOT NULL,
    activity text NOT NULL COLLATE pg_catalog."C"
);


--
-- Name: parked_timers; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.parked_timers (
    run_id text NOT NULL COLLATE pg_catalog."C",
    key text NOT NULL COLLATE pg_catalog."C",
    at bigint NOT NULL
);


--
-- Name: pollers; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.pollers (
    activity text NOT NULL COLLATE pg_catalog."C",
    worker text NOT NULL,
    node text NOT NULL COLLATE pg_catalog."C",
    last_poll bigint NOT NULL
);


--
-- Name: run_counts; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.run_counts (
    shard smallint NOT NULL,
    flow text NOT NULL COLLATE pg_catalog."C",
    status text NOT NULL COLLATE pg_catalog."C",
    runs bigint NOT NULL
);


--
-- Name: run_forks; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.run_forks (
    id text NOT NULL COLLATE pg_catalog."C",
    forked_from text NOT NULL COLLATE pg_catalog."C"
);


--
-- Name: runs; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.runs (
    id text NOT NULL COLLATE pg_catalog."C",
    flow text NOT NULL COLLATE pg_catalog."C",
    version bigint NOT NULL,
    status text NOT NULL COLLATE pg_catalog."C",
    input json NOT NULL,
    result json,
    error json,
    waiting json NOT NULL,
    parent text COLLATE pg_catalog."C",
    idempotency_key text COLLATE pg_catalog."C",
    "position" text,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    journal_steps bigint DEFAULT 0 NOT NULL,
    state bytea NOT NULL,
    owner text COLLATE pg_catalog."C",
    lease_until bigint DEFAULT 0 NOT NULL,
    epoch bigint DEFAULT 0 NOT NULL
)
WITH (fillfactor='80');


--
-- Name: schedules; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.schedules (
    name text NOT NULL COLLATE pg_catalog."C",
    revision bigint NOT NULL,
    "row" json NOT NULL
);


--
-- Name: schema_migrations; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.schema_migrations (
    version integer NOT NULL,
    description text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: source_cursors; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.source_cursors (
    source text NOT NULL COLLATE pg_catalog."C",
    cursor text NOT NULL,
    updated_at bigint NOT NULL
);


--
-- Name: tasks; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.tasks (
    call_id text NOT NULL COLLATE pg_catalog."C",
    run_id text NOT NULL COLLATE pg_catalog."C",
    task json NOT NULL,
    activity text NOT NULL COLLATE pg_catalog."C",
    leased_by text,
    lease_until bigint DEFAULT 0 NOT NULL,
    node text COLLATE pg_catalog."C"
)
WITH (fillfactor='90');


--
-- Name: timers; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.timers (
    run_id text NOT NULL COLLATE pg_catalog."C",
    key text NOT NULL COLLATE pg_catalog."C",
    at bigint NOT NULL
);


--
-- Name: tokens; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.tokens (
    token text NOT NULL COLLATE pg_catalog."C",
    run_id text NOT NULL COLLATE pg_catalog."C",
    call bigint NOT NULL,
    active boolean NOT NULL
);


--
-- Name: audit id; Type: DEFAULT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.audit ALTER COLUMN id SET DEFAULT nextval('weft_golden_src.audit_id_seq'::regclass);


--
-- Name: audit_runs seq; Type: DEFAULT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.audit_runs ALTER COLUMN seq SET DEFAULT nextval('weft_golden_src.audit_runs_seq_seq'::regclass);


--
-- Name: events seq; Type: DEFAULT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.events ALTER COLUMN seq SET DEFAULT nextval('weft_golden_src.events_seq_seq'::regclass);


--
-- Name: inbox id; Type: DEFAULT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.inbox ALTER COLUMN id SET DEFAULT nextval('weft_golden_src.inbox_id_seq'::regclass);


--
-- Name: machine_events id; Type: DEFAULT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.machine_events ALTER COLUMN id SET DEFAULT nextval('weft_golden_src.machine_events_id_seq'::regclass);


--
-- Name: machine_inbox id; Type: DEFAULT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.machine_inbox ALTER COLUMN id SET DEFAULT nextval('weft_golden_src.machine_inbox_id_seq'::regclass);


--
-- Data for Name: audit; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.audit VALUES (1, 1796607776563, 'api', 'retry', '{}', 1, 1, 0, 1796607776563);


--
-- Data for Name: audit_runs; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.audit_runs VALUES (1, 1, '01M972P5Q28MGBA5CSPKDD0HTD', NULL);


--
-- Data for Name: deployment_flows; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.deployment_flows VALUES ('Repair', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('RetryPending', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('Fanout', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('ChildApproval', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('machine:GoldenTally', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('TallyAround', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('LoopAwait', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('Poller', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('ForkJoin', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('Saga', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('Parent', 1);


--
-- Data for Name: deployments; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.deployments VALUES (1, '["LoopAwait","Fanout","RetryPending","Poller","Parent","Saga","Repair","ChildApproval","ForkJoin","TallyAround","machine:GoldenTally"]', '[{"name":"golden.weft","text":"// Flows whose runs a release leaves waiting as golden data\n// (scripts/make-golden.sh; crates/weft-cli/tests/golden.rs finishes them\n// with every later build). Each flow calls activities of its own, so a\n// poll for one activity only ever finds the task of one run. Timers armed\n// before the server stops take `input.pause` (minutes in the golden run,\n// seconds in its control run); timers armed after take seconds.\n\n// A wait inside a loop: one callback per item, with a running total.\nflow LoopAwait(input) {\n    total = 0\n    seen = []\n    for item in input.items {\n        answer = await LoopApprove(item) @timeout(36500d)\n        total += answer.points\n        seen = append(seen, {item: item, points: answer.points})\n    }\n    return {total: total, seen: seen}\n}\n\n// Branches of ParallelForEach, each waiting for something else: a\n// callback, a timer, a task; one is done before the server stops.\nflow Fanout(input) {\n    results = ParallelForEach(input.items, func(item) {\n        if item.kind == \"callback\" {\n            r = await FanoutConfirm(item.id) @timeout(36500d)\n            return {id: item.id, confirmed: r.ok}\n        }\n        if item.kind == \"sleep\" {\n            Sleep(input.pause)\n            return {id: item.id, slept: true}\n        }\n        if item.kind == \"slow\" {\n            s = FanoutSlow(item.id)\n            return {id: item.id, slow: s}\n        }\n        w = FanoutWork(item.id)\n        return {id: item.id, work: w}\n    })\n    summary = FanoutSummarize(len(results))\n    return {results: results, summary: summary}\n}\n\n// A call whose failed attempt waits out its back-off.\nflow RetryPending(input) {\n    prepared = RetryPrepare(input.id)\n    flaky = RetryFlaky(prepared) @retry(3, backoff: input.pause, maxBackoff: input.pause)\n    return {prepared: prepared, flaky: flaky}\n}\n\n// Timers in a loop: the run sleeps between polls.\nflow Poller(input) {\n    polls = []\n    for i in range(len(input.pauses)) {\n        status = PollStatus(i)\n        polls = append(polls, status)\n        if status == \"done\" {\n            break\n        }\n        Sleep(input.pauses[i])\n    }\n    return {polls: polls}\n}\n\n// Sub-flows: a called flow waits for a callback while an inline flow waits\n// for a task; after both, the parent sleeps in a loop.\nflow Parent(input) {\n    side = flow SideJob(input) {\n        s = SideWork(input.id)\n        return {side: s}\n    }\n    child = ChildApproval({id: input.id})\n    n = 0\n    while n < 2 {\n        Sleep(1s)\n        n++\n    }\n    return {child: child, side: side, n: n}\n}\n\n// A saga: a compensation kept as a closure while the run waits for a\n// decision, run by the prelude''s RunCompensations.\nflow Saga(input) {\n    var undo = []\n    reserved = SagaReserve(input.id)\n    undo = append(undo, func() {\n        return SagaRelease(reserved.ref)\n    })\n    decision = await SagaDecide(reserved.ref) @timeout(36500d)\n    if decision.ok != true {\n        undone = RunCompensations(undo)\n        return {status: \"compensated\", undone: undone}\n    }\n    return {status: \"kept\", ref: reserved.ref}\n}\n\n// A call that failed for good: the run waits for an operator.\nflow Repair(input) {\n    fetched = RepairFetch(input.id)\n    return {fetched: fetched}\n}\n"},{"name":"children.weft","text":"// A flow of a second file, called from golden.weft''s Parent.\nflow ChildApproval(req) {\n    signed = await ChildSignoff(req.id) @timeout(36500d)\n    return {approved: signed.approved, id: req.id}\n}\n"},{"name":"edition2.weft","text":"// Flows of the golden sets made from edition 2 on (the seed as written):\n// calls forked by assignment and joined by WaitAll, and a machine whose\n// instance a run changes before and after it waits. Each flow calls\n// activities of its own, as in golden.weft.\n\n// Fork by assignment: the three calls overlap; one is done before the\n// server stops, one fails for good after it (an entry of `errors`).\nflow ForkJoin(input) {\n    inventory = ForkInventory(input.id)\n    payment = ForkPayment(input.id)\n    address = ForkAddress(input.id)\n    results = WaitAll([inventory, payment, address])\n    if results.allSuccess {\n        return {ok: true, results: results.results}\n    }\n    return {ok: false, errors: len(results.errors)}\n}\n\n// A machine''s instance, changed once before the run waits and once after:\n// the instance, its history and the command queue live in the store the\n// later build reads.\nmachine GoldenTally {\n    state { total: number = 0 }\n    command Add(input: {n: number}) {\n        return {total: state.total + input.n}\n    }\n}\n\nflow TallyAround(input) {\n    first = GoldenTally(input.key).Add(n: 1)\n    answer = await TallyApprove(first.state.total) @timeout(36500d)\n    second = GoldenTally(input.key).Add(n: answer.n)\n    return {first: first.state.total, second: second.state.total, version: second.version}\n}\n"}]', 1796607758658, '{"format":1,"edition":2,"compiler":"weft-engine 0.1.0 compiler:11ebc45184141566","files":[{"name":"golden.weft","text":"// Flows whose runs a release leaves waiting as golden data\n// (scripts/make-golden.sh; crates/weft-cli/tests/golden.rs finishes them\n// with every later build). Each flow calls activities of its own, so a\n// poll for one activity only ever finds the task of one run. Timers armed\n// before the server stops take `input.pause` (minutes in the golden run,\n// seconds in its control run); timers armed after take seconds.\n\n// A wait inside a loop: one callback per item, with a running total.\nflow LoopAwait(input) {\n    total = 0\n    seen = []\n    for item in input.items {\n        answer = await LoopApprove(item) @timeout(36500d)\n        total += answer.points\n        seen = append(seen, {item: item, points: answer.points})\n    }\n    return {total: total, seen: seen}\n}\n\n// Branches of ParallelForEach, each waiting for something else: a\n// callback, a timer, a task; one is done before the server stops.\nflow Fanout(input) {\n    results = ParallelForEach(input.items, func(item) {\n        if item.kind == \"callback\" {\n            r = await FanoutConfirm(item.id) @timeout(36500d)\n            return {id: item.id, confirmed: r.ok}\n        }\n        if item.kind == \"sleep\" {\n            Sleep(input.pause)\n            return {id: item.id, slept: true}\n        }\n        if item.kind == \"slow\" {\n            s = FanoutSlow(item.id)\n            return {id: item.id, slow: s}\n        }\n        w = FanoutWork(item.id)\n        return {id: item.id, work: w}\n    })\n    summary = FanoutSummarize(len(results))\n    return {results: results, summary: summary}\n}\n\n// A call whose failed attempt waits out its back-off.\nflow RetryPending(input) {\n    prepared = RetryPrepare(input.id)\n    flaky = RetryFlaky(prepared) @retry(3, backoff: input.pause, maxBackoff: input.pause)\n    return {prepared: prepared, flaky: flaky}\n}\n\n// Timers in a loop: the run sleeps between polls.\nflow Poller(input) {\n    polls = []\n    for i in range(len(input.pauses)) {\n        status = PollStatus(i)\n        polls = append(polls, status)\n        if status == \"done\" {\n            break\n        }\n        Sleep(input.pauses[i])\n    }\n    return {polls: polls}\n}\n\n// Sub-flows: a called flow waits for a callback while an inline flow waits\n// for a task; after both, the parent sleeps in a loop.\nflow Parent(input) {\n    side = flow SideJob(input) {\n        s = SideWork(input.id)\n        return {side: s}\n    }\n    child = ChildApproval({id: input.id})\n    n = 0\n    while n < 2 {\n        Sleep(1s)\n        n++\n    }\n    return {child: child, side: side, n: n}\n}\n\n// A saga: a compensation kept as a closure while the run waits for a\n// decision, run by the prelude''s RunCompensations.\nflow Saga(input) {\n    var undo = []\n    reserved = SagaReserve(input.id)\n    undo = append(undo, func() {\n        return SagaRelease(reserved.ref)\n    })\n    decision = await SagaDecide(reserved.ref) @timeout(36500d)\n    if decision.ok != true {\n        undone = RunCompensations(undo)\n        return {status: \"compensated\", undone: undone}\n    }\n    return {status: \"kept\", ref: reserved.ref}\n}\n\n// A call that failed for good: the run waits for an operator.\nflow Repair(input) {\n    fetched = RepairFetch(input.id)\n    return {fetched: fetched}\n}\n"},{"name":"children.weft","text":"// A flow of a second file, called from golden.weft''s Parent.\nflow ChildApproval(req) {\n    signed = await ChildSignoff(req.id) @timeout(36500d)\n    return {approved: signed.approved, id: req.id}\n}\n"},{"name":"edition2.weft","text":"// Flows of the golden sets made from edition 2 on (the seed as written):\n// calls forked by assignment and joined by WaitAll, and a machine whose\n// instance a run changes before and after it waits. Each flow calls\n// activities of its own, as in golden.weft.\n\n// Fork by assignment: the three calls overlap; one is done before the\n// server stops, one fails for good after it (an entry of `errors`).\nflow ForkJoin(input) {\n    inventory = ForkInventory(input.id)\n    payment = ForkPayment(input.id)\n    address = ForkAddress(input.id)\n    results = WaitAll([inventory, payment, address])\n    if results.allSuccess {\n        return {ok: true, results: results.results}\n    }\n    return {ok: false, errors: len(results.errors)}\n}\n\n// A machine''s instance, changed once before the run waits and once after:\n// the instance, its history and the command queue live in the store the\n// later build reads.\nmachine GoldenTally {\n    state { total: number = 0 }\n    command Add(input: {n: number}) {\n        return {total: state.total + input.n}\n    }\n}\n\nflow TallyAround(input) {\n    first = GoldenTally(input.key).Add(n: 1)\n    answer = await TallyApprove(first.state.total) @timeout(36500d)\n    second = GoldenTally(input.key).Add(n: answer.n)\n    return {first: first.state.total, second: second.state.total, version: second.version}\n}\n"},{"name":"<prelude>","text":"\nflow RunCompensations(list) {\n    results = []\n    i = len(list) - 1\n    while i >= 0 {\n        results = append(results, list[i]())\n        i--\n    }\n    return results\n}\n"}],"flows":[["LoopAwait",1],["Fanout",2],["RetryPending",3],["Poller",4],["Parent",5],["Saga",6],["Repair",7],["ChildApproval",8],["ForkJoin",9],["TallyAround",10]],"functions":[{"name":"GoldenTally.Add","kind":"handler","file":2,"params":[0,1,2],"slots":["state","key","input"],"span":[959,1044],"code":[{"Load":0},"Null",{"Binary":"=="},{"JumpIfFalse":6},"NewObject",{"Store":0},{"Load":0},{"GetField":5},"Null",{"Binary":"=="},{"JumpIfFalse":14},{"Const":5},{"Const":54},{"SetPath":[0,1,null]},"NewObject",{"Bool":true},{"ObjSet":11},"NewObject",{"Load":0},{"GetField":5},{"Load":2},{"GetField":32},{"Binary":"+"},{"ObjSet":5},{"ObjSet":46},"Return","NewObject",{"Bool":true},{"ObjSet":11},{"Load":0},{"ObjSet":46},"Return"],"spans":[933,954,933,954,933,954,933,954,933,954,933,954,935,952,935,952,935,952,935,952,935,952,935,952,951,952,935,952,1001,1038,1001,1038,1001,1038,1008,1038,1016,1021,1022,1027,1030,1035,1036,1037,1016,1037,1009,1014,1001,1038,1001,1038,1044,1044,1044,1044,1044,1044,1044,1044,1044,1044,1044,1044]},{"name":"LoopAwait","kind":"flow","file":0,"params":[0],"slots":["input","total","seen","item","answer","$list5","$i6"],"span":[491,772],"code":[{"Const":0},{"Store":1},"NewList",{"Store":2},{"Load":0},{"GetField":1},{"IterInit":[5,6]},{"IterNext":[5,6,3,27]},{"Load":3},{"Const":2},{"CallActivity":0},{"Store":4},{"Load":1},{"Load":4},{"GetField":3},{"Binary":"+"},{"Store":1},{"Load":2},"NewObject",{"Load":3},{"ObjSet":4},{"Load":4},{"GetField":3},{"ObjSet":3},{"CallBuiltin":["append",2]},{"Store":2},{"Jump":7},"NewObject",{"Load":1},{"ObjSet":5},{"Load":2},{"ObjSet":6},"Return","Null","Return"],"spans":[527,528,519,528,540,542,533,542,559,564,565,570,559,570,551,555,608,612,623,629,596,630,581,630,639,644,648,654,655,661,639,661,639,661,684,688,690,725,697,701,691,695,711,717,718,724,703,709,677,726,670,726,571,732,744,770,752,757,745,750,765,769,759,763,737,770,772,772,772,772]},{"name":"Fanout","kind":"flow","file":0,"params":[0],"slots":["input","results","summary"],"span":[908,1556],"code":[{"Load":0},{"GetField":1},{"Load":0},{"MakeClosure":12},"ParallelForEach",{"Store":1},{"Load":1},{"CallBuiltin":["len",1]},{"CallActivity":4},{"Store":2},"NewObject",{"Load":1},{"ObjSet":18},{"Load":2},{"ObjSet":19},"Return","Null","Return"],"spans":[959,964,965,970,972,1461,972,1461,943,1462,933,1462,1497,1504,1493,1505,1477,1506,1467,1506,1518,1554,1528,1535,1519,1526,1546,1553,1537,1544,1511,1554,1556,1556,1556,1556]},{"name":"RetryPending","kind":"flow","file":0,"params":[0],"slots":["input","prepared","flaky"],"span":[1613,1815],"code":[{"Load":0},{"GetField":9},{"CallActivity":5},{"Store":1},{"Load":1},{"Const":20},{"Load":0},{"GetField":14},{"Load":0},{"GetField":14},{"CallActivity":6},{"Store":2},"NewObject",{"Load":1},{"ObjSet":21},{"Load":2},{"ObjSet":22},"Return","Null","Return"],"spans":[1668,1673,1674,1676,1655,1677,1644,1677,1701,1709,1718,1719,1730,1735,1736,1741,1755,1760,1761,1766,1690,1767,1682,1767,1779,1813,1790,1798,1780,1788,1807,1812,1800,1805,1772,1813,1815,1815,1815,1815]},{"name":"Poller","kind":"flow","file":0,"params":[0],"slots":["input","polls","i","status","$list4","$i5"],"span":[1868,2135],"code":["NewList",{"Store":1},{"Load":0},{"GetField":23},{"CallBuiltin":["len",1]},{"CallBuiltin":["range",1]},{"IterInit":[4,5]},{"IterNext":[4,5,2,27]},{"Load":2},{"CallActivity":7},{"Store":3},{"Load":1},{"Load":3},{"CallBuiltin":["append",2]},{"Store":1},{"Load":3},{"Const":24},{"Binary":"=="},{"JumpIfFalse":20},{"Jump":27},{"Load":0},{"GetField":23},{"Load":2},"GetIndex",{"CallBuiltin":["Sleep",1]},"Pop",{"Jump":7},"NewObject",{"Load":1},{"ObjSet":25},"Return","Null","Return"],"spans":[1901,1903,1893,1903,1927,1932,1933,1939,1923,1940,1917,1941,1917,1941,1912,1913,1972,1973,1961,1974,1952,1974,1998,2003,2005,2011,1991,2012,1983,2012,2024,2030,2034,2040,2024,2040,2024,2040,2055,2060,2085,2090,2091,2097,2098,2099,2085,2100,2079,2101,2079,2101,1942,2107,2119,2133,2127,2132,2120,2125,2112,2133,2135,2135,2135,2135]},{"name":"Parent","kind":"flow","file":0,"params":[0],"slots":["input","side","child","n"],"span":[2269,2536],"code":[{"Load":0},{"StartInline":13},{"Store":1},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"CallFlow":[8,1]},{"Store":2},{"Const":27},{"Store":3},{"Load":3},{"Const":28},{"Binary":"<"},{"JumpIfFalse":23},{"Const":29},{"CallBuiltin":["Sleep",1]},"Pop",{"Load":3},{"Const":30},{"Binary":"+"},{"Store":3},{"Jump":11},"NewObject",{"Load":2},{"ObjSet":31},{"Load":1},{"ObjSet":26},{"Load":3},{"ObjSet":32},"Return","Null","Return"],"spans":[2314,2319,2306,2313,2294,2384,2411,2425,2416,2421,2422,2424,2412,2414,2397,2426,2389,2426,2435,2436,2431,2436,2447,2448,2451,2452,2447,2452,2447,2452,2469,2471,2463,2472,2463,2472,2481,2482,2481,2484,2481,2484,2481,2484,2453,2490,2502,2534,2510,2515,2503,2508,2523,2527,2517,2521,2532,2533,2529,2530,2495,2534,2536,2536,2536,2536]},{"name":"Saga","kind":"flow","file":0,"params":[0],"slots":["input","undo","reserved","decision","undone"],"span":[2660,3056],"code":["NewList",{"Store":1},{"Load":0},{"GetField":9},{"CallActivity":9},{"Store":2},{"Load":1},{"Load":2},{"MakeClosure":14},{"CallBuiltin":["append",2]},{"Store":1},{"Load":2},{"GetField":33},{"Const":34},{"CallActivity":11},{"Store":3},{"Load":3},{"GetField":11},{"Bool":true},{"Binary":"!="},{"JumpIfFalse":30},{"Load":1},{"CallFunc":[11,1]},{"Store":4},"NewObject",{"Const":35},{"ObjSet":36},{"Load":4},{"ObjSet":37},"Return","NewObject",{"Const":38},{"ObjSet":36},{"Load":2},{"GetField":33},{"ObjSet":33},"Return","Null","Return"],"spans":[2694,2696,2683,2696,2724,2729,2730,2732,2712,2733,2701,2733,2752,2756,2758,2813,2758,2813,2745,2814,2738,2814,2847,2855,2856,2859,2870,2876,2836,2877,2819,2877,2885,2893,2894,2896,2900,2904,2885,2904,2885,2904,2941,2945,2924,2946,2915,2946,2962,3001,2971,2984,2963,2969,2994,3000,2986,2992,2955,3001,3019,3054,3028,3034,3020,3026,3041,3049,3050,3053,3036,3039,3012,3054,3056,3056,3056,3056]},{"name":"Repair","kind":"flow","file":0,"params":[0],"slots":["input","fetched"],"span":[3121,3209],"code":[{"Load":0},{"GetField":9},{"CallActivity":12},{"Store":1},"NewObject",{"Load":1},{"ObjSet":39},"Return","Null","Return"],"spans":[3168,3173,3174,3176,3156,3177,3146,3177,3189,3207,3199,3206,3190,3197,3182,3207,3209,3209,3209,3209]},{"name":"ChildApproval","kind":"flow","file":1,"params":[0],"slots":["req","signed"],"span":[62,197],"code":[{"Load":0},{"GetField":9},{"Const":40},{"CallActivity":13},{"Store":1},"NewObject",{"Load":1},{"GetField":41},{"ObjSet":41},{"Load":0},{"GetField":9},{"ObjSet":9},"Return","Null","Return"],"spans":[120,123,124,126,137,143,107,144,92,144,156,195,167,173,174,182,157,165,188,191,192,194,184,186,149,195,197,197,197,197]},{"name":"ForkJoin","kind":"flow","file":2,"params":[0],"slots":["input","inventory","payment","address","results"],"span":[402,729],"code":[{"Load":0},{"MakeClosure":15},"Fork",{"Store":1},{"Load":0},{"MakeClosure":16},"Fork",{"Store":2},{"Load":0},{"MakeClosure":17},"Fork",{"Store":3},"NewList",{"Take":1},"ListPush",{"Take":2},"ListPush",{"Take":3},"ListPush",{"Parallel":"all"},{"Store":4},{"Load":4},{"GetField":42},{"JumpIfFalse":31},"NewObject",{"Bool":true},{"ObjSet":11},{"Load":4},{"GetField":18},{"ObjSet":18},"Return","NewObject",{"Bool":false},{"ObjSet":11},{"Load":4},{"GetField":43},{"CallBuiltin":["len",1]},{"ObjSet":43},"Return","Null","Return"],"spans":[441,464,441,464,441,464,429,464,479,500,479,500,479,500,469,500,515,536,515,536,515,536,505,536,559,588,560,569,560,569,571,578,571,578,580,587,580,587,551,589,541,589,597,604,605,615,597,615,633,669,638,642,634,636,653,660,661,668,644,651,626,669,687,727,692,697,688,690,711,718,719,725,707,726,699,705,680,727,729,729,729,729]},{"name":"TallyAround","kind":"flow","file":2,"params":[0],"slots":["input","first","answer","second"],"span":[1048,1332],"code":[{"Load":0},{"GetField":44},"NewObject",{"Const":45},{"ObjSet":32},{"CallActivity":17},{"Store":1},{"Load":1},{"GetField":46},{"GetField":5},{"Const":47},{"CallActivity":18},{"Store":2},{"Load":0},{"GetField":44},"NewObject",{"Load":2},{"GetField":32},{"ObjSet":32},{"CallActivity":19},{"Store":3},"NewObject",{"Load":1},{"GetField":46},{"GetField":5},{"ObjSet":48},{"Load":3},{"GetField":46},{"GetField":5},{"ObjSet":49},{"Load":3},{"GetField":50},{"ObjSet":50},"Return","Null","Return"],"spans":[1098,1103,1104,1107,1086,1118,1116,1117,1113,1114,1086,1118,1078,1118,1151,1156,1157,1162,1163,1168,1179,1185,1138,1186,1123,1186,1212,1217,1218,1221,1200,1239,1230,1236,1237,1238,1227,1228,1200,1239,1191,1239,1251,1330,1259,1264,1265,1270,1271,1276,1252,1257,1286,1292,1293,1298,1299,1304,1278,1284,1315,1321,1322,1329,1306,1313,1244,1330,1332,1332,1332,1332]},{"name":"RunCompensations","kind":"prelude","file":3,"params":[0],"slots":["list","results","i"],"span":[1,172],"code":["NewList",{"Store":1},{"Load":0},{"CallBuiltin":["len",1]},{"Const":51},{"Binary":"-"},{"Store":2},{"Load":2},{"Const":52},{"Binary":">="},{"JumpIfFalse":23},{"Load":1},{"Load":0},{"Load":2},"GetIndex",{"CallClosure":0},{"CallBuiltin":["append",2]},{"Store":1},{"Load":2},{"Const":53},{"Binary":"-"},{"Store":2},{"Jump":7},{"Load":1},"Return","Null","Return"],"spans":[45,47,35,47,60,64,56,65,68,69,56,69,52,69,80,81,85,86,80,86,80,86,114,121,123,127,128,129,123,130,123,132,107,133,97,133,142,143,142,145,142,145,142,145,87,151,163,170,156,170,172,172,172,172]},{"name":"func","kind":"lambda","file":0,"params":[0],"captures":[{"name":"input","slot":4}],"slots":["item","r","s","w","input"],"span":[972,1461],"code":[{"Load":0},{"GetField":7},{"Const":8},{"Binary":"=="},{"JumpIfFalse":18},{"Load":0},{"GetField":9},{"Const":10},{"CallActivity":1},{"Store":1},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Load":1},{"GetField":11},{"ObjSet":12},"Return",{"Load":0},{"GetField":7},{"Const":13},{"Binary":"=="},{"JumpIfFalse":34},{"Load":4},{"GetField":14},{"CallBuiltin":["Sleep",1]},"Pop","NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Bool":true},{"ObjSet":15},"Return",{"Load":0},{"GetField":7},{"Const":16},{"Binary":"=="},{"JumpIfFalse":50},{"Load":0},{"GetField":9},{"CallActivity":2},{"Store":2},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Load":2},{"ObjSet":16},"Return",{"Load":0},{"GetField":9},{"CallActivity":3},{"Store":3},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Load":3},{"ObjSet":17},"Return","Null","Return"],"spans":[996,1000,1001,1005,1009,1019,996,1019,996,1019,1058,1062,1063,1065,1076,1082,1044,1083,1034,1083,1103,1133,1108,1112,1113,1115,1104,1106,1128,1129,1130,1132,1117,1126,1096,1133,1155,1159,1160,1164,1168,1175,1155,1175,1155,1175,1196,1201,1202,1207,1190,1208,1190,1208,1228,1254,1233,1237,1238,1240,1229,1231,1249,1253,1242,1247,1221,1254,1276,1280,1281,1285,1289,1295,1276,1295,1276,1295,1325,1329,1330,1332,1314,1333,1310,1333,1353,1375,1358,1362,1363,1365,1354,1356,1373,1374,1367,1371,1346,1375,1409,1413,1414,1416,1398,1417,1394,1417,1433,1455,1438,1442,1443,1445,1434,1436,1453,1454,1447,1451,1426,1455,1461,1461,1461,1461]},{"name":"SideJob","kind":"inlineFlow","file":0,"params":[0],"paramLabels":["input"],"slots":["input","s"],"span":[2301,2384],"code":[{"Load":0},{"GetField":9},{"CallActivity":8},{"Store":1},"NewObject",{"Load":1},{"ObjSet":26},"Return","Null","Return"],"spans":[2344,2349,2350,2352,2335,2353,2331,2353,2369,2378,2376,2377,2370,2374,2362,2378,2384,2384,2384,2384]},{"name":"func","kind":"lambda","file":0,"params":[],"captures":[{"name":"reserved","slot":0}],"slots":["reserved"],"span":[2758,2813],"code":[{"Load":0},{"GetField":33},{"CallActivity":10},"Return","Null","Return"],"spans":[2794,2802,2803,2806,2782,2807,2775,2807,2813,2813,2813,2813]},{"name":"branch","kind":"branch","file":2,"params":[],"captures":[{"name":"input","slot":0}],"slots":["input"],"span":[441,464],"code":[{"Load":0},{"GetField":9},{"CallActivity":14},"Return"],"spans":[455,460,461,463,441,464,441,464]},{"name":"branch","kind":"branch","file":2,"params":[],"captures":[{"name":"input","slot":0}],"slots":["input"],"span":[479,500],"code":[{"Load":0},{"GetField":9},{"CallActivity":15},"Return"],"spans":[491,496,497,499,479,500,479,500]},{"name":"branch","kind":"branch","file":2,"params":[],"captures":[{"name":"input","slot":0}],"slots":["input"],"span":[515,536],"code":[{"Load":0},{"GetField":9},{"CallActivity":16},"Return"],"spans":[527,532,533,535,515,536,515,536]}],"consts":[{"Int":0},{"Str":"items"},{"Duration":3153600000000},{"Str":"points"},{"Str":"item"},{"Str":"total"},{"Str":"seen"},{"Str":"kind"},{"Str":"callback"},{"Str":"id"},{"Duration":3153600000000},{"Str":"ok"},{"Str":"confirmed"},{"Str":"sleep"},{"Str":"pause"},{"Str":"slept"},{"Str":"slow"},{"Str":"work"},{"Str":"results"},{"Str":"summary"},{"Int":3},{"Str":"prepared"},{"Str":"flaky"},{"Str":"pauses"},{"Str":"done"},{"Str":"polls"},{"Str":"side"},{"Int":0},{"Int":2},{"Duration":1000},{"Int":1},{"Str":"child"},{"Str":"n"},{"Str":"ref"},{"Duration":3153600000000},{"Str":"compensated"},{"Str":"status"},{"Str":"undone"},{"Str":"kept"},{"Str":"fetched"},{"Duration":3153600000000},{"Str":"approved"},{"Str":"allSuccess"},{"Str":"errors"},{"Str":"key"},{"Int":1},{"Str":"state"},{"Duration":3153600000000},{"Str":"first"},{"Str":"second"},{"Str":"version"},{"Int":1},{"Int":0},{"Int":1},{"Int":0}],"calls":[{"activity":"LoopApprove","positional":1,"timeout":true,"awaited":true},{"activity":"FanoutConfirm","positional":1,"timeout":true,"awaited":true},{"activity":"FanoutSlow","positional":1},{"activity":"FanoutWork","positional":1},{"activity":"FanoutSummarize","positional":1},{"activity":"RetryPrepare","positional":1},{"activity":"RetryFlaky","positional":1,"retry":true,"retryBackoff":true,"retryMax":true},{"activity":"PollStatus","positional":1},{"activity":"SideWork","positional":1},{"activity":"SagaReserve","positional":1},{"activity":"SagaRelease","positional":1},{"activity":"SagaDecide","positional":1,"timeout":true,"awaited":true},{"activity":"RepairFetch","positional":1},{"activity":"ChildSignoff","positional":1,"timeout":true,"awaited":true},{"activity":"ForkInventory","positional":1,"catch":true},{"activity":"ForkPayment","positional":1,"catch":true},{"activity":"ForkAddress","positional":1,"catch":true},{"activity":"machine:GoldenTally.Add","positional":2},{"activity":"TallyApprove","positional":1,"timeout":true,"awaited":true},{"activity":"machine:GoldenTally.Add","positional":2}],"machines":[{"name":"GoldenTally","state":{"kind":"object","fields":[{"name":"total","ty":{"kind":"number"},"optional":false}],"open":false},"commands":[{"name":"Add","input":{"kind":"object","fields":[{"name":"n","ty":{"kind":"number"},"optional":false}],"open":false},"handler":0}]}]}');


--
-- Data for Name: events; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.events VALUES (1, 'machine:GoldenTally/control/1', 'created', 'GoldenTally', '{"key":"control","version":1,"command":"Add","commandId":"01M972P629KKQW36XGAY8K24BJ-1","state":{"total":1}}', 'machine', 1796607776841, '[]');
INSERT INTO weft_golden_src.events VALUES (2, 'machine:GoldenTally/control/2', 'updated', 'GoldenTally', '{"key":"control","version":2,"command":"Add","commandId":"01M972P629KKQW36XGAY8K24BJ-3","state":{"total":42}}', 'machine', 1796607776884, '[]');
INSERT INTO weft_golden_src.events VALUES (3, 'machine:GoldenTally/golden/1', 'created', 'GoldenTally', '{"key":"golden","version":1,"command":"Add","commandId":"01M972P6N27RY8627G8FQA90KK-1","state":{"total":1}}', 'machine', 1796607777442, '[]');


--
-- Data for Name: idempotency_keys; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: inbox; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: journal; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.journal VALUES ('01M972NME8R83JEGJFJJN8EB53', 1, '[{"at":1796607758792,"type":"started","input":{"items":["a","b","c"]}},{"at":1796607758792,"type":"callStarted","callId":"01M972NME8R83JEGJFJJN8EB53-1","activity":"LoopApprove","args":["a"],"attempt":1,"awaited":true,"line":13}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NME8R83JEGJFJJN8EB53', 2, '[{"at":1796607758870,"type":"callCompleted","callId":"01M972NME8R83JEGJFJJN8EB53-1","activity":"LoopApprove","attempt":1,"value":{"points":1},"durationMs":78,"how":"callback"},{"at":1796607758870,"type":"callStarted","callId":"01M972NME8R83JEGJFJJN8EB53-2","activity":"LoopApprove","args":["b"],"attempt":1,"awaited":true,"line":13}]', '{"event":{"type":"callback","call":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NME8R83JEGJFJJN8EB53', 3, '[{"at":1796607758929,"type":"callCompleted","callId":"01M972NME8R83JEGJFJJN8EB53-2","activity":"LoopApprove","attempt":1,"value":{"points":10},"durationMs":59,"how":"callback"},{"at":1796607758929,"type":"callStarted","callId":"01M972NME8R83JEGJFJJN8EB53-3","activity":"LoopApprove","args":["c"],"attempt":1,"awaited":true,"line":13}]', '{"event":{"type":"callback","call":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NME8R83JEGJFJJN8EB53', 4, '[{"at":1796607758995,"type":"callCompleted","callId":"01M972NME8R83JEGJFJJN8EB53-3","activity":"LoopApprove","attempt":1,"value":{"points":100},"durationMs":66,"how":"callback"},{"at":1796607758995,"type":"completed","result":{"total":111,"seen":[{"item":"a","points":1},{"item":"b","points":10},{"item":"c","points":100}]}}]', '{"event":{"type":"callback","call":3,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NMPDF6G44RV7KNZ8FDJR', 1, '[{"at":1796607759053,"type":"started","input":{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"5s"}},{"at":1796607759053,"type":"callStarted","callId":"01M972NMPDF6G44RV7KNZ8FDJR-1","activity":"FanoutWork","args":[1],"attempt":1,"awaited":false,"line":36},{"at":1796607759053,"type":"callStarted","callId":"01M972NMPDF6G44RV7KNZ8FDJR-2","activity":"FanoutConfirm","args":[2],"attempt":1,"awaited":true,"line":25},{"at":1796607759053,"type":"timerStarted","until":1796607764053},{"at":1796607759053,"type":"callStarted","callId":"01M972NMPDF6G44RV7KNZ8FDJR-3","activity":"FanoutSlow","args":[4],"attempt":1,"awaited":false,"line":33}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NMPDF6G44RV7KNZ8FDJR', 2, '[{"at":1796607759286,"type":"callCompleted","callId":"01M972NMPDF6G44RV7KNZ8FDJR-1","activity":"FanoutWork","attempt":1,"value":"w1","durationMs":233,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NMPDF6G44RV7KNZ8FDJR', 3, '[{"at":1796607764102,"type":"timerFired","key":"sleep:3"}]', '{"event":{"type":"timerFired","key":"sleep:3"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NMPDF6G44RV7KNZ8FDJR', 4, '[{"at":1796607764192,"type":"callCompleted","callId":"01M972NMPDF6G44RV7KNZ8FDJR-3","activity":"FanoutSlow","attempt":1,"value":"s4","durationMs":5139,"how":"returned"}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NMPDF6G44RV7KNZ8FDJR', 5, '[{"at":1796607764244,"type":"callCompleted","callId":"01M972NMPDF6G44RV7KNZ8FDJR-2","activity":"FanoutConfirm","attempt":1,"value":{"ok":true},"durationMs":5191,"how":"callback"},{"at":1796607764244,"type":"callStarted","callId":"01M972NMPDF6G44RV7KNZ8FDJR-4","activity":"FanoutSummarize","args":[4],"attempt":1,"awaited":false,"line":39}]', '{"event":{"type":"callback","call":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NMPDF6G44RV7KNZ8FDJR', 6, '[{"at":1796607764294,"type":"callCompleted","callId":"01M972NMPDF6G44RV7KNZ8FDJR-4","activity":"FanoutSummarize","attempt":1,"value":{"count":4},"durationMs":50,"how":"returned"},{"at":1796607764294,"type":"completed","result":{"results":[{"id":1,"work":"w1"},{"id":2,"confirmed":true},{"id":3,"slept":true},{"id":4,"slow":"s4"}],"summary":{"count":4}}}]', '{"event":{"type":"callCompleted","call":4,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NSTY7WXN7BFJSA8DCE8B', 1, '[{"at":1796607764318,"type":"started","input":{"id":7,"pause":"5s"}},{"at":1796607764318,"type":"callStarted","callId":"01M972NSTY7WXN7BFJSA8DCE8B-1","activity":"RetryPrepare","args":[7],"attempt":1,"awaited":false,"line":45}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NSTY7WXN7BFJSA8DCE8B', 2, '[{"at":1796607764366,"type":"callCompleted","callId":"01M972NSTY7WXN7BFJSA8DCE8B-1","activity":"RetryPrepare","attempt":1,"value":{"prepared":7},"durationMs":48,"how":"returned"},{"at":1796607764366,"type":"callStarted","callId":"01M972NSTY7WXN7BFJSA8DCE8B-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":1,"awaited":false,"line":46}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NSTY7WXN7BFJSA8DCE8B', 3, '[{"at":1796607764445,"type":"callFailed","callId":"01M972NSTY7WXN7BFJSA8DCE8B-2","activity":"RetryFlaky","attempt":1,"error":"connection reset","retryAt":1796607767203}]', '{"event":{"type":"callFailed","call":2,"attempt":1,"error":"connection reset","retryable":true},"jitter":[0.10338673942923249]}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NSTY7WXN7BFJSA8DCE8B', 4, '[{"at":1796607767387,"type":"timerFired","key":"backoff:2"},{"at":1796607767387,"type":"callStarted","callId":"01M972NSTY7WXN7BFJSA8DCE8B-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":2,"awaited":false,"line":46}]', '{"event":{"type":"timerFired","key":"backoff:2"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NSTY7WXN7BFJSA8DCE8B', 5, '[{"at":1796607767442,"type":"callCompleted","callId":"01M972NSTY7WXN7BFJSA8DCE8B-2","activity":"RetryFlaky","attempt":2,"value":"flaky-ok","durationMs":3076,"how":"returned"},{"at":1796607767442,"type":"completed","result":{"prepared":{"prepared":7},"flaky":"flaky-ok"}}]', '{"event":{"type":"callCompleted","call":2,"attempt":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NWX547MF8RJ6FHNVKY4W', 1, '[{"at":1796607767461,"type":"started","input":{"pauses":["5s","1s","1s"]}},{"at":1796607767461,"type":"callStarted","callId":"01M972NWX547MF8RJ6FHNVKY4W-1","activity":"PollStatus","args":[0],"attempt":1,"awaited":false,"line":54}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NWX547MF8RJ6FHNVKY4W', 2, '[{"at":1796607767498,"type":"callCompleted","callId":"01M972NWX547MF8RJ6FHNVKY4W-1","activity":"PollStatus","attempt":1,"value":"pending","durationMs":37,"how":"returned"},{"at":1796607767498,"type":"timerStarted","until":1796607772498}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NWX547MF8RJ6FHNVKY4W', 3, '[{"at":1796607772690,"type":"timerFired","key":"sleep:0"},{"at":1796607772690,"type":"callStarted","callId":"01M972NWX547MF8RJ6FHNVKY4W-2","activity":"PollStatus","args":[1],"attempt":1,"awaited":false,"line":54}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NWX547MF8RJ6FHNVKY4W', 4, '[{"at":1796607772729,"type":"callCompleted","callId":"01M972NWX547MF8RJ6FHNVKY4W-2","activity":"PollStatus","attempt":1,"value":"pending","durationMs":39,"how":"returned"},{"at":1796607772729,"type":"timerStarted","until":1796607773729}]', '{"event":{"type":"callCompleted","call":2,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NWX547MF8RJ6FHNVKY4W', 5, '[{"at":1796607773915,"type":"timerFired","key":"sleep:0"},{"at":1796607773915,"type":"callStarted","callId":"01M972NWX547MF8RJ6FHNVKY4W-3","activity":"PollStatus","args":[2],"attempt":1,"awaited":false,"line":54}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M972NWX547MF8RJ6FHNVKY4W', 6, '[{"at":1796607773938,"type":"callCompleted","callId":"01M972NWX547MF8RJ6FHNVKY4W-3","activity":"PollStatus","attempt":1,"value":"done","durationMs":23,"how":"returned"},{"at":1796607773938,"type":"completed","result":{"polls":["pending","pending","done"]}}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P38602X5QPKMDX26DK2B', 2, '[{"at":1796607774052,"type":"callCompleted","callId":"01M972P38602X5QPKMDX26DK2B-1","activity":"SideWork","attempt":1,"value":"side-ok","durationMs":94,"how":"returned"},{"at":1796607774052,"type":"completed","result":{"side":"side-ok"}}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P38648BG4ABYMWZM8V1J', 2, '[{"at":1796607774052,"type":"childFinished","runId":"01M972P38602X5QPKMDX26DK2B","result":{"side":"side-ok"}}]', '{"event":{"type":"childFinished","child":0,"run_id":"01M972P38602X5QPKMDX26DK2B","result":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P5G8PYEGFAQFAAC5J7G1', 2, '[{"at":1796607776328,"type":"callCompleted","callId":"01M972P5G8PYEGFAQFAAC5J7G1-1","activity":"SagaReserve","attempt":1,"value":{"ref":"r5"},"durationMs":64,"how":"returned"},{"at":1796607776328,"type":"callStarted","callId":"01M972P5G8PYEGFAQFAAC5J7G1-2","activity":"SagaDecide","args":["r5"],"attempt":1,"awaited":true,"line":88}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P5G8PYEGFAQFAAC5J7G1', 3, '[{"at":1796607776355,"type":"callCompleted","callId":"01M972P5G8PYEGFAQFAAC5J7G1-2","activity":"SagaDecide","attempt":1,"value":{"ok":false},"durationMs":27,"how":"callback"},{"at":1796607776355,"type":"callStarted","callId":"01M972P5G8PYEGFAQFAAC5J7G1-3","activity":"SagaRelease","args":["r5"],"attempt":1,"awaited":false,"line":86}]', '{"event":{"type":"callback","call":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P5Q28MGBA5CSPKDD0HTD', 1, '[{"at":1796607776482,"type":"started","input":{"id":3}},{"at":1796607776482,"type":"callStarted","callId":"01M972P5Q28MGBA5CSPKDD0HTD-1","activity":"RepairFetch","args":[3],"attempt":1,"awaited":false,"line":98}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P5VDN3HF9G5D56J0HH58', 2, '[{"at":1796607776653,"type":"callCompleted","callId":"01M972P5VDN3HF9G5D56J0HH58-1","activity":"ForkInventory","attempt":1,"value":{"reserved":5},"durationMs":32,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P5VDN3HF9G5D56J0HH58', 3, '[{"at":1796607776758,"type":"callCompleted","callId":"01M972P5VDN3HF9G5D56J0HH58-3","activity":"ForkAddress","attempt":1,"value":{"verified":true},"durationMs":137,"how":"returned"}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P629KKQW36XGAY8K24BJ', 2, '[{"at":1796607776884,"type":"callCompleted","callId":"01M972P629KKQW36XGAY8K24BJ-2","activity":"TallyApprove","attempt":1,"value":{"n":41},"durationMs":43,"how":"callback"},{"at":1796607776884,"type":"callStarted","callId":"01M972P629KKQW36XGAY8K24BJ-3","activity":"machine:GoldenTally.Add","args":["control",{"n":41}],"attempt":1,"awaited":false,"line":32},{"at":1796607776884,"type":"callCompleted","callId":"01M972P629KKQW36XGAY8K24BJ-3","activity":"machine:GoldenTally.Add","attempt":1,"value":{"key":"control","state":{"total":42},"version":2},"durationMs":0,"how":"returned"},{"at":1796607776884,"type":"completed","result":{"first":1,"second":42,"version":2}}]', '{"steps":[{"entries":2,"cause":{"event":{"type":"callback","call":2,"value":null},"valueIn":0}},{"entries":2,"cause":{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}}]}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P63M6QTK662ZAS62Z8GD', 1, '[{"at":1796607776884,"type":"started","input":{"machine":"GoldenTally","key":"control","seq":2,"command":"Add","commandId":"01M972P629KKQW36XGAY8K24BJ-3","state":{"total":1},"input":{"n":41}}},{"at":1796607776884,"type":"completed","result":{"ok":true,"state":{"total":42}}}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P654V3JVYK55TRDNF8B9', 2, '[{"at":1796607776958,"type":"callCompleted","callId":"01M972P654V3JVYK55TRDNF8B9-1","activity":"LoopApprove","attempt":1,"value":{"points":1},"durationMs":26,"how":"callback"},{"at":1796607776958,"type":"callStarted","callId":"01M972P654V3JVYK55TRDNF8B9-2","activity":"LoopApprove","args":["b"],"attempt":1,"awaited":true,"line":13}]', '{"event":{"type":"callback","call":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P66PXR9CQCAB3HNB8200', 2, '[{"at":1796607777003,"type":"callCompleted","callId":"01M972P66PXR9CQCAB3HNB8200-1","activity":"FanoutWork","attempt":1,"value":"w1","durationMs":21,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P67XT56XCG5S6PGHE0Z4', 1, '[{"at":1796607777021,"type":"started","input":{"id":7,"pause":"2m"}},{"at":1796607777021,"type":"callStarted","callId":"01M972P67XT56XCG5S6PGHE0Z4-1","activity":"RetryPrepare","args":[7],"attempt":1,"awaited":false,"line":45}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P6E3WBWYRQYWTF71QMPE', 2, '[{"at":1796607777248,"type":"callCompleted","callId":"01M972P6E3WBWYRQYWTF71QMPE-1","activity":"SagaReserve","attempt":1,"value":{"ref":"r5"},"durationMs":29,"how":"returned"},{"at":1796607777248,"type":"callStarted","callId":"01M972P6E3WBWYRQYWTF71QMPE-2","activity":"SagaDecide","args":["r5"],"attempt":1,"awaited":true,"line":88}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P6GYAMANJ301JDYHSEJF', 2, '[{"at":1796607777359,"type":"callFailed","callId":"01M972P6GYAMANJ301JDYHSEJF-1","activity":"RepairFetch","attempt":1,"error":"not found","retryAt":null},{"at":1796607777359,"type":"failed","error":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}]', '{"event":{"type":"callFailed","call":1,"attempt":1,"error":"not found","retryable":false},"jitter":[0.593657252943083]}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P6KWHPDFG7AFM1Q40MH9', 1, '[{"at":1796607777404,"type":"started","input":{"id":5}},{"at":1796607777404,"type":"callStarted","callId":"01M972P6KWHPDFG7AFM1Q40MH9-1","activity":"ForkInventory","args":[5],"attempt":1,"awaited":false,"line":9},{"at":1796607777404,"type":"callStarted","callId":"01M972P6KWHPDFG7AFM1Q40MH9-2","activity":"ForkPayment","args":[5],"attempt":1,"awaited":false,"line":10},{"at":1796607777404,"type":"callStarted","callId":"01M972P6KWHPDFG7AFM1Q40MH9-3","activity":"ForkAddress","args":[5],"attempt":1,"awaited":false,"line":11}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P6KWHPDFG7AFM1Q40MH9', 2, '[{"at":1796607777427,"type":"callCompleted","callId":"01M972P6KWHPDFG7AFM1Q40MH9-1","activity":"ForkInventory","attempt":1,"value":{"reserved":5},"durationMs":23,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P38602X5QPKMDX26DK2B', 1, '[{"at":1796607773958,"type":"started","input":{"input":{"id":9}}},{"at":1796607773958,"type":"callStarted","callId":"01M972P38602X5QPKMDX26DK2B-1","activity":"SideWork","args":[9],"attempt":1,"awaited":false,"line":68}]', '{"child":{"func":13,"args":[{"id":9}],"captures":[],"input":{"input":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P38648BG4ABYMWZM8V1J', 1, '[{"at":1796607773958,"type":"started","input":{"id":9}},{"at":1796607773958,"type":"childStarted","runId":"01M972P38602X5QPKMDX26DK2B","flow":"SideJob"},{"at":1796607773958,"type":"childStarted","runId":"01M972P386Z6PV8H5KKWBCJP0T","flow":"ChildApproval"}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P386Z6PV8H5KKWBCJP0T', 1, '[{"at":1796607773958,"type":"started","input":{"req":{"id":9}}},{"at":1796607773958,"type":"callStarted","callId":"01M972P386Z6PV8H5KKWBCJP0T-1","activity":"ChildSignoff","args":[9],"attempt":1,"awaited":true,"line":3}]', '{"child":{"func":8,"args":[{"id":9}],"captures":[],"input":{"req":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P38648BG4ABYMWZM8V1J', 3, '[{"at":1796607774127,"type":"childFinished","runId":"01M972P386Z6PV8H5KKWBCJP0T","result":{"approved":true,"id":9}},{"at":1796607774127,"type":"timerStarted","until":1796607775127}]', '{"event":{"type":"childFinished","child":0,"run_id":"01M972P386Z6PV8H5KKWBCJP0T","result":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P386Z6PV8H5KKWBCJP0T', 2, '[{"at":1796607774127,"type":"callCompleted","callId":"01M972P386Z6PV8H5KKWBCJP0T-1","activity":"ChildSignoff","attempt":1,"value":{"approved":true},"durationMs":169,"how":"callback"},{"at":1796607774127,"type":"completed","result":{"approved":true,"id":9}}]', '{"event":{"type":"callback","call":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P38648BG4ABYMWZM8V1J', 4, '[{"at":1796607775183,"type":"timerFired","key":"sleep:0"},{"at":1796607775183,"type":"timerStarted","until":1796607776183}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P38648BG4ABYMWZM8V1J', 5, '[{"at":1796607776183,"type":"timerFired","key":"sleep:0"},{"at":1796607776183,"type":"completed","result":{"child":{"approved":true,"id":9},"side":{"side":"side-ok"},"n":2}}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P5G8PYEGFAQFAAC5J7G1', 1, '[{"at":1796607776264,"type":"started","input":{"id":5}},{"at":1796607776264,"type":"callStarted","callId":"01M972P5G8PYEGFAQFAAC5J7G1-1","activity":"SagaReserve","args":[5],"attempt":1,"awaited":false,"line":84}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P67XT56XCG5S6PGHE0Z4', 3, '[{"at":1796607777071,"type":"callFailed","callId":"01M972P67XT56XCG5S6PGHE0Z4-2","activity":"RetryFlaky","attempt":1,"error":"connection reset","retryAt":1796607857644}]', '{"event":{"type":"callFailed","call":2,"attempt":1,"error":"connection reset","retryable":true},"jitter":[0.34288590655009243]}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P6AQ5B92QPSA9ZZ26Q7C', 1, '[{"at":1796607777111,"type":"started","input":{"pauses":["2m","1s","1s"]}},{"at":1796607777111,"type":"callStarted","callId":"01M972P6AQ5B92QPSA9ZZ26Q7C-1","activity":"PollStatus","args":[0],"attempt":1,"awaited":false,"line":54}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P5G8PYEGFAQFAAC5J7G1', 4, '[{"at":1796607776440,"type":"callCompleted","callId":"01M972P5G8PYEGFAQFAAC5J7G1-3","activity":"SagaRelease","attempt":1,"value":"released","durationMs":85,"how":"returned"},{"at":1796607776440,"type":"completed","result":{"status":"compensated","undone":["released"]}}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P5Q28MGBA5CSPKDD0HTD', 2, '[{"at":1796607776527,"type":"callFailed","callId":"01M972P5Q28MGBA5CSPKDD0HTD-1","activity":"RepairFetch","attempt":1,"error":"not found","retryAt":null},{"at":1796607776527,"type":"failed","error":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}]', '{"event":{"type":"callFailed","call":1,"attempt":1,"error":"not found","retryable":false},"jitter":[0.22999759273223985]}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P5Q28MGBA5CSPKDD0HTD', 3, '[{"at":1796607776549,"type":"retried"},{"at":1796607776549,"type":"callStarted","callId":"01M972P5Q28MGBA5CSPKDD0HTD-1","activity":"RepairFetch","args":[3],"attempt":2,"awaited":false,"line":98}]', '{"event":{"type":"retry"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P5Q28MGBA5CSPKDD0HTD', 4, '[{"at":1796607776600,"type":"callCompleted","callId":"01M972P5Q28MGBA5CSPKDD0HTD-1","activity":"RepairFetch","attempt":2,"value":"fetched","durationMs":118,"how":"returned"},{"at":1796607776600,"type":"completed","result":{"fetched":"fetched"}}]', '{"event":{"type":"callCompleted","call":1,"attempt":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P5VDN3HF9G5D56J0HH58', 1, '[{"at":1796607776621,"type":"started","input":{"id":5}},{"at":1796607776621,"type":"callStarted","callId":"01M972P5VDN3HF9G5D56J0HH58-1","activity":"ForkInventory","args":[5],"attempt":1,"awaited":false,"line":9},{"at":1796607776621,"type":"callStarted","callId":"01M972P5VDN3HF9G5D56J0HH58-2","activity":"ForkPayment","args":[5],"attempt":1,"awaited":false,"line":10},{"at":1796607776621,"type":"callStarted","callId":"01M972P5VDN3HF9G5D56J0HH58-3","activity":"ForkAddress","args":[5],"attempt":1,"awaited":false,"line":11}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P5VDN3HF9G5D56J0HH58', 4, '[{"at":1796607776815,"type":"callFailed","callId":"01M972P5VDN3HF9G5D56J0HH58-2","activity":"ForkPayment","attempt":1,"error":"card declined","retryAt":null},{"at":1796607776815,"type":"callCompleted","callId":"01M972P5VDN3HF9G5D56J0HH58-2","activity":"ForkPayment","attempt":1,"value":{"status":"error","error":{"message":"card declined","attempts":1}},"durationMs":194,"how":"caught"},{"at":1796607776815,"type":"completed","result":{"ok":false,"errors":1}}]', '{"event":{"type":"callFailed","call":2,"attempt":1,"error":"card declined","retryable":false},"jitter":[0.653486537167681]}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P629C1H0M588S95ADAMN', 1, '[{"at":1796607776841,"type":"started","input":{"machine":"GoldenTally","key":"control","seq":1,"command":"Add","commandId":"01M972P629KKQW36XGAY8K24BJ-1","state":{},"input":{"n":1}}},{"at":1796607776841,"type":"completed","result":{"ok":true,"state":{"total":1}}}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P629KKQW36XGAY8K24BJ', 1, '[{"at":1796607776841,"type":"started","input":{"key":"control"}},{"at":1796607776841,"type":"callStarted","callId":"01M972P629KKQW36XGAY8K24BJ-1","activity":"machine:GoldenTally.Add","args":["control",{"n":1}],"attempt":1,"awaited":false,"line":30},{"at":1796607776841,"type":"callCompleted","callId":"01M972P629KKQW36XGAY8K24BJ-1","activity":"machine:GoldenTally.Add","attempt":1,"value":{"key":"control","state":{"total":1},"version":1},"durationMs":0,"how":"returned"},{"at":1796607776841,"type":"callStarted","callId":"01M972P629KKQW36XGAY8K24BJ-2","activity":"TallyApprove","args":[1],"attempt":1,"awaited":true,"line":31}]', '{"steps":[{"entries":2,"cause":{}},{"entries":2,"cause":{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}}]}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P654V3JVYK55TRDNF8B9', 1, '[{"at":1796607776932,"type":"started","input":{"items":["a","b","c"]}},{"at":1796607776932,"type":"callStarted","callId":"01M972P654V3JVYK55TRDNF8B9-1","activity":"LoopApprove","args":["a"],"attempt":1,"awaited":true,"line":13}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P66PXR9CQCAB3HNB8200', 1, '[{"at":1796607776982,"type":"started","input":{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"2m"}},{"at":1796607776982,"type":"callStarted","callId":"01M972P66PXR9CQCAB3HNB8200-1","activity":"FanoutWork","args":[1],"attempt":1,"awaited":false,"line":36},{"at":1796607776982,"type":"callStarted","callId":"01M972P66PXR9CQCAB3HNB8200-2","activity":"FanoutConfirm","args":[2],"attempt":1,"awaited":true,"line":25},{"at":1796607776982,"type":"timerStarted","until":1796607896982},{"at":1796607776982,"type":"callStarted","callId":"01M972P66PXR9CQCAB3HNB8200-3","activity":"FanoutSlow","args":[4],"attempt":1,"awaited":false,"line":33}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P67XT56XCG5S6PGHE0Z4', 2, '[{"at":1796607777037,"type":"callCompleted","callId":"01M972P67XT56XCG5S6PGHE0Z4-1","activity":"RetryPrepare","attempt":1,"value":{"prepared":7},"durationMs":16,"how":"returned"},{"at":1796607777037,"type":"callStarted","callId":"01M972P67XT56XCG5S6PGHE0Z4-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":1,"awaited":false,"line":46}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P6AQ5B92QPSA9ZZ26Q7C', 2, '[{"at":1796607777132,"type":"callCompleted","callId":"01M972P6AQ5B92QPSA9ZZ26Q7C-1","activity":"PollStatus","attempt":1,"value":"pending","durationMs":21,"how":"returned"},{"at":1796607777132,"type":"timerStarted","until":1796607897132}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P6D46NECHV944PDQBQZG', 1, '[{"at":1796607777188,"type":"started","input":{"id":9}},{"at":1796607777188,"type":"childStarted","runId":"01M972P6D4H44PTTQP5BKC2DVF","flow":"SideJob"},{"at":1796607777188,"type":"childStarted","runId":"01M972P6D4PEGFPRHETWP2EH2B","flow":"ChildApproval"}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P6D4H44PTTQP5BKC2DVF', 1, '[{"at":1796607777188,"type":"started","input":{"input":{"id":9}}},{"at":1796607777188,"type":"callStarted","callId":"01M972P6D4H44PTTQP5BKC2DVF-1","activity":"SideWork","args":[9],"attempt":1,"awaited":false,"line":68}]', '{"child":{"func":13,"args":[{"id":9}],"captures":[],"input":{"input":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P6D4PEGFPRHETWP2EH2B', 1, '[{"at":1796607777188,"type":"started","input":{"req":{"id":9}}},{"at":1796607777188,"type":"callStarted","callId":"01M972P6D4PEGFPRHETWP2EH2B-1","activity":"ChildSignoff","args":[9],"attempt":1,"awaited":true,"line":3}]', '{"child":{"func":8,"args":[{"id":9}],"captures":[],"input":{"req":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P6E3WBWYRQYWTF71QMPE', 1, '[{"at":1796607777219,"type":"started","input":{"id":5}},{"at":1796607777219,"type":"callStarted","callId":"01M972P6E3WBWYRQYWTF71QMPE-1","activity":"SagaReserve","args":[5],"attempt":1,"awaited":false,"line":84}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P6GYAMANJ301JDYHSEJF', 1, '[{"at":1796607777310,"type":"started","input":{"id":3}},{"at":1796607777310,"type":"callStarted","callId":"01M972P6GYAMANJ301JDYHSEJF-1","activity":"RepairFetch","args":[3],"attempt":1,"awaited":false,"line":98}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P6N27RY8627G8FQA90KK', 1, '[{"at":1796607777442,"type":"started","input":{"key":"golden"}},{"at":1796607777442,"type":"callStarted","callId":"01M972P6N27RY8627G8FQA90KK-1","activity":"machine:GoldenTally.Add","args":["golden",{"n":1}],"attempt":1,"awaited":false,"line":30},{"at":1796607777442,"type":"callCompleted","callId":"01M972P6N27RY8627G8FQA90KK-1","activity":"machine:GoldenTally.Add","attempt":1,"value":{"key":"golden","state":{"total":1},"version":1},"durationMs":0,"how":"returned"},{"at":1796607777442,"type":"callStarted","callId":"01M972P6N27RY8627G8FQA90KK-2","activity":"TallyApprove","args":[1],"attempt":1,"awaited":true,"line":31}]', '{"steps":[{"entries":2,"cause":{}},{"entries":2,"cause":{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}}]}');
INSERT INTO weft_golden_src.journal VALUES ('01M972P6N2EXNFPEQ7F78PGX04', 1, '[{"at":1796607777442,"type":"started","input":{"machine":"GoldenTally","key":"golden","seq":1,"command":"Add","commandId":"01M972P6N27RY8627G8FQA90KK-1","state":{},"input":{"n":1}}},{"at":1796607777442,"type":"completed","result":{"ok":true,"state":{"total":1}}}]', '{}');


--
-- Data for Name: machine_commands; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.machine_commands VALUES ('GoldenTally', 'control', 1, '01M972P629KKQW36XGAY8K24BJ-1', 'applied', '{"machine":"GoldenTally","key":"control","seq":1,"command":"Add","input":{"n":1},"commandId":"01M972P629KKQW36XGAY8K24BJ-1","status":"applied","runId":"01M972P629C1H0M588S95ADAMN","version":1,"state":{"total":1},"error":null,"replies":[{"run_id":"01M972P629KKQW36XGAY8K24BJ","call":1,"attempt":1}],"createdAt":1796607776841,"finishedAt":1796607776841}');
INSERT INTO weft_golden_src.machine_commands VALUES ('GoldenTally', 'control', 2, '01M972P629KKQW36XGAY8K24BJ-3', 'applied', '{"machine":"GoldenTally","key":"control","seq":2,"command":"Add","input":{"n":41},"commandId":"01M972P629KKQW36XGAY8K24BJ-3","status":"applied","runId":"01M972P63M6QTK662ZAS62Z8GD","version":2,"state":{"total":42},"error":null,"replies":[{"run_id":"01M972P629KKQW36XGAY8K24BJ","call":3,"attempt":1}],"createdAt":1796607776884,"finishedAt":1796607776884}');
INSERT INTO weft_golden_src.machine_commands VALUES ('GoldenTally', 'golden', 1, '01M972P6N27RY8627G8FQA90KK-1', 'applied', '{"machine":"GoldenTally","key":"golden","seq":1,"command":"Add","input":{"n":1},"commandId":"01M972P6N27RY8627G8FQA90KK-1","status":"applied","runId":"01M972P6N2EXNFPEQ7F78PGX04","version":1,"state":{"total":1},"error":null,"replies":[{"run_id":"01M972P6N27RY8627G8FQA90KK","call":1,"attempt":1}],"createdAt":1796607777442,"finishedAt":1796607777442}');


--
-- Data for Name: machine_events; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.machine_events VALUES (1, '{"type":"created","machine":"GoldenTally","key":"control","version":1,"command":"Add","commandId":"01M972P629KKQW36XGAY8K24BJ-1","state":{"total":1},"at":1796607776841}');
INSERT INTO weft_golden_src.machine_events VALUES (2, '{"type":"updated","machine":"GoldenTally","key":"control","version":2,"command":"Add","commandId":"01M972P629KKQW36XGAY8K24BJ-3","state":{"total":42},"at":1796607776884}');
INSERT INTO weft_golden_src.machine_events VALUES (3, '{"type":"created","machine":"GoldenTally","key":"golden","version":1,"command":"Add","commandId":"01M972P6N27RY8627G8FQA90KK-1","state":{"total":1},"at":1796607777442}');


--
-- Data for Name: machine_fields; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.machine_fields VALUES ('GoldenTally', 'control', 'total', 'n', 42, NULL);
INSERT INTO weft_golden_src.machine_fields VALUES ('GoldenTally', 'golden', 'total', 'n', 1, NULL);


--
-- Data for Name: machine_inbox; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: machine_instances; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.machine_instances VALUES ('GoldenTally', 'control', '{"total":42}', 2, 3, 2, true, 1796607776841, 1796607776884, NULL, 1796607786884, 2);
INSERT INTO weft_golden_src.machine_instances VALUES ('GoldenTally', 'golden', '{"total":1}', 1, 2, 1, true, 1796607777442, 1796607777442, NULL, 1796607787442, 1);


--
-- Data for Name: parked_inbox; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: parked_runs; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: parked_tasks; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: parked_timers; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: pollers; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.pollers VALUES ('FanoutSlow', 'golden', 'golden-maker-1b4a36ee', 1796607764180);
INSERT INTO weft_golden_src.pollers VALUES ('FanoutSummarize', 'golden', 'golden-maker-1b4a36ee', 1796607764275);
INSERT INTO weft_golden_src.pollers VALUES ('PollStatus', 'golden', 'golden-maker-1b4a36ee', 1796607772556);
INSERT INTO weft_golden_src.pollers VALUES ('SideWork', 'golden', 'golden-maker-1b4a36ee', 1796607774006);
INSERT INTO weft_golden_src.pollers VALUES ('SagaReserve', 'golden', 'golden-maker-1b4a36ee', 1796607776285);
INSERT INTO weft_golden_src.pollers VALUES ('SagaRelease', 'golden', 'golden-maker-1b4a36ee', 1796607776420);
INSERT INTO weft_golden_src.pollers VALUES ('RepairFetch', 'golden', 'golden-maker-1b4a36ee', 1796607776495);
INSERT INTO weft_golden_src.pollers VALUES ('ForkInventory', 'golden', 'golden-maker-1b4a36ee', 1796607776636);
INSERT INTO weft_golden_src.pollers VALUES ('ForkAddress', 'golden', 'golden-maker-1b4a36ee', 1796607776706);
INSERT INTO weft_golden_src.pollers VALUES ('ForkPayment', 'golden', 'golden-maker-1b4a36ee', 1796607776794);
INSERT INTO weft_golden_src.pollers VALUES ('FanoutWork', 'golden', 'golden-maker-1b4a36ee', 1796607776991);
INSERT INTO weft_golden_src.pollers VALUES ('RetryPrepare', 'golden', 'golden-maker-1b4a36ee', 1796607777028);
INSERT INTO weft_golden_src.pollers VALUES ('RetryFlaky', 'golden', 'golden-maker-1b4a36ee', 1796607777054);


--
-- Data for Name: run_counts; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.run_counts VALUES (2, 'LoopAwait', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'Fanout', 'waiting', 0);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'Fanout', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'RetryPending', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'Poller', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'SideJob', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'ChildApproval', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'Parent', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'Saga', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'Repair', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'ForkJoin', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'TallyAround', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'LoopAwait', 'waiting', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'Fanout', 'running', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'RetryPending', 'running', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'Poller', 'running', 0);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'Poller', 'waiting', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'ChildApproval', 'waiting', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'Parent', 'waiting', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'SideJob', 'running', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'Saga', 'running', 0);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'Saga', 'waiting', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'Repair', 'failed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'Repair', 'running', 0);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'ForkJoin', 'running', 1);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'GoldenTally.Add', 'completed', 3);
INSERT INTO weft_golden_src.run_counts VALUES (2, 'TallyAround', 'waiting', 1);


--
-- Data for Name: run_forks; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: runs; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.runs VALUES ('01M972NME8R83JEGJFJJN8EB53', 'LoopAwait', 1, 'completed', '{"items":["a","b","c"]}', '{"total":111,"seen":[{"item":"a","points":1},{"item":"b","points":10},{"item":"c","points":100}]}', NULL, '[]', NULL, NULL, NULL, 1796607758792, 1796607758995, 4, '\x7b2276223a312c226964223a2230314d3937324e4d45385238334a45474a464a4a4e3845423533222c2266756e63223a312c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a342c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b22746f74616c223a3131312c227365656e223a5b7b226974656d223a2261222c22706f696e7473223a317d2c7b226974656d223a2262222c22706f696e7473223a31307d2c7b226974656d223a2263222c22706f696e7473223a3130307d5d7d2c227374657073223a37312c226576656e7473223a337d', NULL, 1796607768995, 4);
INSERT INTO weft_golden_src.runs VALUES ('01M972NMPDF6G44RV7KNZ8FDJR', 'Fanout', 1, 'completed', '{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"5s"}', '{"results":[{"id":1,"work":"w1"},{"id":2,"confirmed":true},{"id":3,"slept":true},{"id":4,"slow":"s4"}],"summary":{"count":4}}', NULL, '[]', NULL, NULL, NULL, 1796607759053, 1796607764294, 6, '\x7b2276223a312c226964223a2230314d3937324e4d504446364734345256374b4e5a3846444a52222c2266756e63223a322c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a352c2263616c6c73223a7b7d2c226e6578745f63616c6c223a352c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a312c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b22726573756c7473223a5b7b226964223a312c22776f726b223a227731227d2c7b226964223a322c22636f6e6669726d6564223a747275657d2c7b226964223a332c22736c657074223a747275657d2c7b226964223a342c22736c6f77223a227334227d5d2c2273756d6d617279223a7b22636f756e74223a347d7d2c227374657073223a3130372c226576656e7473223a357d', NULL, 1796607774244, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M972NSTY7WXN7BFJSA8DCE8B', 'RetryPending', 1, 'completed', '{"id":7,"pause":"5s"}', '{"prepared":{"prepared":7},"flaky":"flaky-ok"}', NULL, '[]', NULL, NULL, NULL, 1796607764318, 1796607767442, 5, '\x7b2276223a312c226964223a2230314d3937324e5354593757584e3742464a5341384443453842222c2266756e63223a332c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a332c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b227072657061726564223a7b227072657061726564223a377d2c22666c616b79223a22666c616b792d6f6b227d2c227374657073223a31382c226576656e7473223a347d', NULL, 1796607777387, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M972NWX547MF8RJ6FHNVKY4W', 'Poller', 1, 'completed', '{"pauses":["5s","1s","1s"]}', '{"polls":["pending","pending","done"]}', NULL, '[]', NULL, NULL, NULL, 1796607767461, 1796607773938, 6, '\x7b2276223a312c226964223a2230314d3937324e57583534374d4638524a3646484e564b593457222c2266756e63223a342c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a342c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b22706f6c6c73223a5b2270656e64696e67222c2270656e64696e67222c22646f6e65225d7d2c227374657073223a35392c226576656e7473223a357d', NULL, 1796607783915, 3);
INSERT INTO weft_golden_src.runs VALUES ('01M972P38648BG4ABYMWZM8V1J', 'Parent', 1, 'completed', '{"id":9}', '{"child":{"approved":true,"id":9},"side":{"side":"side-ok"},"n":2}', NULL, '[]', NULL, NULL, NULL, 1796607773958, 1796607776183, 5, '\x7b2276223a312c226964223a2230314d3937325033383634384247344142594d575a4d3856314a222c2266756e63223a352c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a312c2274696d657273223a7b7d2c226368696c6472656e223a7b2230223a7b2272756e5f6964223a2230314d393732503338363032583551504b4d44583236444b3242222c22666c6f77223a22536964654a6f62222c227374617465223a7b227374617465223a22636f6d706c65746564222c2276616c7565223a7b2273696465223a22736964652d6f6b227d7d2c227374617274223a7b2266756e63223a31332c2261726773223a5b7b226964223a397d5d2c226361707475726573223a5b5d2c22696e707574223a7b22696e707574223a7b226964223a397d7d7d2c2263616c6c223a66616c73657d7d2c226e6578745f6368696c64223a322c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b226368696c64223a7b22617070726f766564223a747275652c226964223a397d2c2273696465223a7b2273696465223a22736964652d6f6b227d2c226e223a327d2c227374657073223a34372c226576656e7473223a347d', NULL, 1796607786183, 5);
INSERT INTO weft_golden_src.runs VALUES ('01M972P38602X5QPKMDX26DK2B', 'SideJob', 1, 'completed', '{"input":{"id":9}}', '{"side":"side-ok"}', NULL, '[]', '01M972P38648BG4ABYMWZM8V1J', NULL, NULL, 1796607773958, 1796607774052, 2, '\x7b2276223a312c226964223a2230314d393732503338363032583551504b4d44583236444b3242222c2266756e63223a31332c226465707468223a312c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a322c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b2273696465223a22736964652d6f6b227d2c227374657073223a382c226576656e7473223a317d', NULL, 1796607783958, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M972P5VDN3HF9G5D56J0HH58', 'ForkJoin', 1, 'completed', '{"id":5}', '{"ok":false,"errors":1}', NULL, '[]', NULL, NULL, NULL, 1796607776621, 1796607776815, 4, '\x7b2276223a312c226964223a2230314d393732503556444e3348463947354435364a3048483538222c2266756e63223a392c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a342c2263616c6c73223a7b7d2c226e6578745f63616c6c223a342c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a342c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b226f6b223a66616c73652c226572726f7273223a317d2c227374657073223a34342c226576656e7473223a337d', NULL, 1796607786621, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M972P5G8PYEGFAQFAAC5J7G1', 'Saga', 1, 'completed', '{"id":5}', '{"status":"compensated","undone":["released"]}', NULL, '[]', NULL, NULL, NULL, 1796607776264, 1796607776440, 4, '\x7b2276223a312c226964223a2230314d393732503547385059454746415146414143354a374731222c2266756e63223a362c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a342c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b22737461747573223a22636f6d70656e7361746564222c22756e646f6e65223a5b2272656c6561736564225d7d2c227374657073223a36312c226576656e7473223a337d', NULL, 1796607786355, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M972P386Z6PV8H5KKWBCJP0T', 'ChildApproval', 1, 'completed', '{"req":{"id":9}}', '{"approved":true,"id":9}', NULL, '[]', '01M972P38648BG4ABYMWZM8V1J', NULL, NULL, 1796607773958, 1796607774127, 2, '\x7b2276223a312c226964223a2230314d393732503338365a3650563848354b4b5742434a503054222c2266756e63223a382c226465707468223a312c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a322c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b22617070726f766564223a747275652c226964223a397d2c227374657073223a31332c226576656e7473223a317d', NULL, 1796607784127, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M972P5Q28MGBA5CSPKDD0HTD', 'Repair', 1, 'completed', '{"id":3}', '{"fetched":"fetched"}', NULL, '[]', NULL, NULL, NULL, 1796607776482, 1796607776600, 4, '\x7b2276223a312c226964223a2230314d39373250355132384d474241354353504b444430485444222c2266756e63223a372c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a322c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b2266657463686564223a2266657463686564227d2c227374657073223a382c226576656e7473223a317d', NULL, 1796607786549, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M972P629C1H0M588S95ADAMN', 'GoldenTally.Add', 1, 'completed', '{"machine":"GoldenTally","key":"control","seq":1,"command":"Add","commandId":"01M972P629KKQW36XGAY8K24BJ-1","state":{},"input":{"n":1}}', '{"ok":true,"state":{"total":1}}', NULL, '[]', NULL, NULL, NULL, 1796607776841, 1796607776841, 1, '\x7b2276223a312c226964223a2230314d39373250363239433148304d3538385339354144414d4e222c2266756e63223a302c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a312c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b226f6b223a747275652c227374617465223a7b22746f74616c223a317d7d2c227374657073223a32342c226576656e7473223a307d', NULL, 1796607786841, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M972P63M6QTK662ZAS62Z8GD', 'GoldenTally.Add', 1, 'completed', '{"machine":"GoldenTally","key":"control","seq":2,"command":"Add","commandId":"01M972P629KKQW36XGAY8K24BJ-3","state":{"total":1},"input":{"n":41}}', '{"ok":true,"state":{"total":42}}', NULL, '[]', NULL, NULL, NULL, 1796607776884, 1796607776884, 1, '\x7b2276223a312c226964223a2230314d3937325036334d3651544b3636325a415336325a384744222c2266756e63223a302c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a312c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b226f6b223a747275652c227374617465223a7b22746f74616c223a34327d7d2c227374657073223a32312c226576656e7473223a307d', NULL, 1796607786884, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M972P629KKQW36XGAY8K24BJ', 'TallyAround', 1, 'completed', '{"key":"control"}', '{"first":1,"second":42,"version":2}', NULL, '[]', NULL, NULL, NULL, 1796607776841, 1796607776884, 2, '\x7b2276223a312c226964223a2230314d393732503632394b4b5157333658474159384b3234424a222c2266756e63223a31302c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a342c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b226669727374223a312c227365636f6e64223a34322c2276657273696f6e223a327d2c227374657073223a33342c226576656e7473223a337d', NULL, 1796607786884, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M972P66PXR9CQCAB3HNB8200', 'Fanout', 1, 'running', '{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"2m"}', NULL, NULL, '[{"kind":"activity","activity":"FanoutConfirm","callId":"01M972P66PXR9CQCAB3HNB8200-2","callback":true,"token":"d6e14490bfc46cc2a2a156e4ba782ee1","until":4950207776982},{"kind":"timer","until":1796607896982},{"kind":"activity","activity":"FanoutSlow","callId":"01M972P66PXR9CQCAB3HNB8200-3","callback":false,"token":null,"until":null}]', NULL, NULL, 'golden.weft:25', 1796607776982, 1796607777003, 2, '\x7b2276223a312c226964223a2230314d39373250363650585239435143414233484e4238323030222c2266756e63223a322c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a322c227063223a352c226c6f63616c73223a5b7b226974656d73223a5b7b226964223a312c226b696e64223a22776f726b227d2c7b226964223a322c226b696e64223a2263616c6c6261636b227d2c7b226964223a332c226b696e64223a22736c656570227d2c7b226964223a342c226b696e64223a22736c6f77227d5d2c227061757365223a22326d227d2c6e756c6c2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2247726f7570223a307d2c226f776e6572223a6e756c6c7d2c2232223a7b226672616d6573223a5b7b2266756e63223a31322c227063223a392c226c6f63616c73223a5b7b226964223a322c226b696e64223a2263616c6c6261636b227d2c6e756c6c2c6e756c6c2c6e756c6c2c7b226974656d73223a5b7b226964223a312c226b696e64223a22776f726b227d2c7b226964223a322c226b696e64223a2263616c6c6261636b227d2c7b226964223a332c226b696e64223a22736c656570227d2c7b226964223a342c226b696e64223a22736c6f77227d5d2c227061757365223a22326d227d5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a327d2c226f776e6572223a5b302c315d7d2c2233223a7b226672616d6573223a5b7b2266756e63223a31322c227063223a32362c226c6f63616c73223a5b7b226964223a332c226b696e64223a22736c656570227d2c6e756c6c2c6e756c6c2c6e756c6c2c7b226974656d73223a5b7b226964223a312c226b696e64223a22776f726b227d2c7b226964223a322c226b696e64223a2263616c6c6261636b227d2c7b226964223a332c226b696e64223a22736c656570227d2c7b226964223a342c226b696e64223a22736c6f77227d5d2c227061757365223a22326d227d5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2254696d6572223a22736c6565703a33227d2c226f776e6572223a5b302c325d7d2c2234223a7b226672616d6573223a5b7b2266756e63223a31322c227063223a34322c226c6f63616c73223a5b7b226964223a342c226b696e64223a22736c6f77227d2c6e756c6c2c6e756c6c2c6e756c6c2c7b226974656d73223a5b7b226964223a312c226b696e64223a22776f726b227d2c7b226964223a322c226b696e64223a2263616c6c6261636b227d2c7b226964223a332c226b696e64223a22736c656570227d2c7b226964223a342c226b696e64223a22736c6f77227d5d2c227061757365223a22326d227d5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a337d2c226f776e6572223a5b302c335d7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a352c2263616c6c73223a7b2232223a7b2263616c6c5f6964223a2230314d39373250363650585239435143414233484e42383230302d32222c226163746976697479223a2246616e6f7574436f6e6669726d222c2261726773223a5b325d2c226669626572223a322c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a333135333630303030303030302c2261776169746564223a747275652c226361746368223a66616c73652c22746f6b656e223a226436653134343930626663343663633261326131353665346261373832656531222c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363630373737363938322c22617474656d70745f737461727465645f6174223a313739363630373737363938322c226c6173745f6572726f72223a6e756c6c2c226174223a5b31322c385d7d2c2233223a7b2263616c6c5f6964223a2230314d39373250363650585239435143414233484e42383230302d33222c226163746976697479223a2246616e6f7574536c6f77222c2261726773223a5b345d2c226669626572223a342c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a6e756c6c2c2261776169746564223a66616c73652c226361746368223a66616c73652c22746f6b656e223a6e756c6c2c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363630373737363938322c22617474656d70745f737461727465645f6174223a313739363630373737363938322c226c6173745f6572726f72223a6e756c6c2c226174223a5b31322c34315d7d7d2c226e6578745f63616c6c223a342c2274696d657273223a7b2261776169743a32223a7b226174223a343935303230373737363938322c226b696e64223a7b226b696e64223a22617761697454696d656f7574222c2263616c6c223a327d7d2c22736c6565703a33223a7b226174223a313739363630373839363938322c226b696e64223a7b226b696e64223a22736c656570222c226669626572223a332c2276616c7565223a6e756c6c7d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b2230223a7b226d6f6465223a2245786563757465222c226669626572223a302c22736c6f7473223a5b7b22446f6e65223a7b226964223a312c22776f726b223a227731227d7d2c7b224669626572223a327d2c7b224669626572223a337d2c7b224669626572223a347d5d2c226f706572616e6473223a5b5b7b226964223a312c226b696e64223a22776f726b227d2c7b226964223a322c226b696e64223a2263616c6c6261636b227d2c7b226964223a332c226b696e64223a22736c656570227d2c7b226964223a342c226b696e64223a22736c6f77227d5d2c7b222463223a31322c2276223a5b7b226974656d73223a5b7b226964223a312c226b696e64223a22776f726b227d2c7b226964223a322c226b696e64223a2263616c6c6261636b227d2c7b226964223a332c226b696e64223a22736c656570227d2c7b226964223a342c226b696e64223a22736c6f77227d5d2c227061757365223a22326d227d5d7d5d7d7d2c226e6578745f67726f7570223a312c226661696c75726573223a7b7d2c22737461747573223a2272756e6e696e67222c22726573756c74223a6e756c6c2c227374657073223a37312c226576656e7473223a317d', 'golden-maker-1b4a36ee', 1796607786982, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M972P654V3JVYK55TRDNF8B9', 'LoopAwait', 1, 'waiting', '{"items":["a","b","c"]}', NULL, NULL, '[{"kind":"activity","activity":"LoopApprove","callId":"01M972P654V3JVYK55TRDNF8B9-2","callback":true,"token":"56b0db64ce0ec3b9ecf0c1170a9c8e37","until":4950207776958}]', NULL, NULL, 'golden.weft:13', 1796607776932, 1796607776958, 2, '\x7b2276223a312c226964223a2230314d3937325036353456334a56594b35355452444e46384239222c2266756e63223a312c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a312c227063223a31312c226c6f63616c73223a5b7b226974656d73223a5b2261222c2262222c2263225d7d2c312c5b7b226974656d223a2261222c22706f696e7473223a317d5d2c2262222c7b22706f696e7473223a317d2c5b2261222c2262222c2263225d2c325d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a327d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2232223a7b2263616c6c5f6964223a2230314d3937325036353456334a56594b35355452444e463842392d32222c226163746976697479223a224c6f6f70417070726f7665222c2261726773223a5b2262225d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a333135333630303030303030302c2261776169746564223a747275652c226361746368223a66616c73652c22746f6b656e223a223536623064623634636530656333623965636630633131373061396338653337222c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363630373737363935382c22617474656d70745f737461727465645f6174223a313739363630373737363935382c226c6173745f6572726f72223a6e756c6c2c226174223a5b312c31305d7d7d2c226e6578745f63616c6c223a332c2274696d657273223a7b2261776169743a32223a7b226174223a343935303230373737363935382c226b696e64223a7b226b696e64223a22617761697454696d656f7574222c2263616c6c223a327d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a33302c226576656e7473223a317d', NULL, 1796607786958, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M972P67XT56XCG5S6PGHE0Z4', 'RetryPending', 1, 'running', '{"id":7,"pause":"2m"}', NULL, NULL, '[{"kind":"activity","activity":"RetryFlaky","callId":"01M972P67XT56XCG5S6PGHE0Z4-2","callback":false,"token":null,"until":null}]', NULL, NULL, 'golden.weft:46', 1796607777021, 1796607777071, 3, '\x7b2276223a312c226964223a2230314d3937325036375854353658434735533650474845305a34222c2266756e63223a332c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a332c227063223a31312c226c6f63616c73223a5b7b226964223a372c227061757365223a22326d227d2c7b227072657061726564223a377d2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a327d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2232223a7b2263616c6c5f6964223a2230314d3937325036375854353658434735533650474845305a342d32222c226163746976697479223a225265747279466c616b79222c2261726773223a5b7b227072657061726564223a377d5d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a332c226261636b6f66665f6d73223a3132303030302c226261636b6f66665f6d61785f6d73223a3132303030302c2274696d656f75745f6d73223a6e756c6c2c2261776169746564223a66616c73652c226361746368223a66616c73652c22746f6b656e223a6e756c6c2c227068617365223a226261636b6f6666222c22737461727465645f6174223a313739363630373737373033372c22617474656d70745f737461727465645f6174223a313739363630373737373033372c226c6173745f6572726f72223a22636f6e6e656374696f6e207265736574222c226174223a5b332c31305d7d7d2c226e6578745f63616c6c223a332c2274696d657273223a7b226261636b6f66663a32223a7b226174223a313739363630373835373634342c226b696e64223a7b226b696e64223a226261636b6f6666222c2263616c6c223a327d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2272756e6e696e67222c22726573756c74223a6e756c6c2c227374657073223a31312c226576656e7473223a327d', 'golden-maker-1b4a36ee', 1796607787021, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M972P6AQ5B92QPSA9ZZ26Q7C', 'Poller', 1, 'waiting', '{"pauses":["2m","1s","1s"]}', NULL, NULL, '[{"kind":"timer","until":1796607897132}]', NULL, NULL, 'golden.weft:59', 1796607777111, 1796607777132, 2, '\x7b2276223a312c226964223a2230314d393732503641513542393251505341395a5a3236513743222c2266756e63223a342c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a342c227063223a32352c226c6f63616c73223a5b7b22706175736573223a5b22326d222c223173222c223173225d7d2c5b2270656e64696e67225d2c302c2270656e64696e67222c5b302c312c325d2c315d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2254696d6572223a22736c6565703a30227d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a322c2274696d657273223a7b22736c6565703a30223a7b226174223a313739363630373839373133322c226b696e64223a7b226b696e64223a22736c656570222c226669626572223a302c2276616c7565223a6e756c6c7d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a32332c226576656e7473223a317d', NULL, 1796607787111, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M972P6D4H44PTTQP5BKC2DVF', 'SideJob', 1, 'running', '{"input":{"id":9}}', NULL, NULL, '[{"kind":"activity","activity":"SideWork","callId":"01M972P6D4H44PTTQP5BKC2DVF-1","callback":false,"token":null,"until":null}]', '01M972P6D46NECHV944PDQBQZG', NULL, 'golden.weft:68', 1796607777188, 1796607777188, 1, '\x7b2276223a312c226964223a2230314d39373250364434483434505454515035424b4332445646222c2266756e63223a31332c226465707468223a312c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a31332c227063223a332c226c6f63616c73223a5b7b226964223a397d2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a317d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2231223a7b2263616c6c5f6964223a2230314d39373250364434483434505454515035424b43324456462d31222c226163746976697479223a2253696465576f726b222c2261726773223a5b395d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a6e756c6c2c2261776169746564223a66616c73652c226361746368223a66616c73652c22746f6b656e223a6e756c6c2c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363630373737373138382c22617474656d70745f737461727465645f6174223a313739363630373737373138382c226c6173745f6572726f72223a6e756c6c2c226174223a5b31332c325d7d7d2c226e6578745f63616c6c223a322c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2272756e6e696e67222c22726573756c74223a6e756c6c2c227374657073223a332c226576656e7473223a307d', 'golden-maker-1b4a36ee', 1796607787188, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M972P6D46NECHV944PDQBQZG', 'Parent', 1, 'waiting', '{"id":9}', NULL, NULL, '[{"kind":"child","runId":"01M972P6D4PEGFPRHETWP2EH2B","flow":"ChildApproval"}]', NULL, NULL, 'golden.weft:71', 1796607777188, 1796607777188, 1, '\x7b2276223a312c226964223a2230314d39373250364434364e4543485639343450445142515a47222c2266756e63223a352c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a352c227063223a382c226c6f63616c73223a5b7b226964223a397d2c7b222468223a307d2c6e756c6c2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b224368696c64223a7b226368696c64223a312c2270757368223a747275657d7d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a312c2274696d657273223a7b7d2c226368696c6472656e223a7b2230223a7b2272756e5f6964223a2230314d39373250364434483434505454515035424b4332445646222c22666c6f77223a22536964654a6f62222c227374617465223a7b227374617465223a2272756e6e696e67227d2c227374617274223a7b2266756e63223a31332c2261726773223a5b7b226964223a397d5d2c226361707475726573223a5b5d2c22696e707574223a7b22696e707574223a7b226964223a397d7d7d2c2263616c6c223a66616c73657d2c2231223a7b2272756e5f6964223a2230314d3937325036443450454746505248455457503245483242222c22666c6f77223a224368696c64417070726f76616c222c227374617465223a7b227374617465223a2272756e6e696e67227d2c227374617274223a7b2266756e63223a382c2261726773223a5b7b226964223a397d5d2c226361707475726573223a5b5d2c22696e707574223a7b22726571223a7b226964223a397d7d7d2c2263616c6c223a747275657d7d2c226e6578745f6368696c64223a322c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a382c226576656e7473223a307d', NULL, 1796607787188, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M972P6D4PEGFPRHETWP2EH2B', 'ChildApproval', 1, 'waiting', '{"req":{"id":9}}', NULL, NULL, '[{"kind":"activity","activity":"ChildSignoff","callId":"01M972P6D4PEGFPRHETWP2EH2B-1","callback":true,"token":"85618a397dfe180770e12c78c1ef9db9","until":4950207777188}]', '01M972P6D46NECHV944PDQBQZG', NULL, 'children.weft:3', 1796607777188, 1796607777188, 1, '\x7b2276223a312c226964223a2230314d3937325036443450454746505248455457503245483242222c2266756e63223a382c226465707468223a312c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a382c227063223a342c226c6f63616c73223a5b7b226964223a397d2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a317d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2231223a7b2263616c6c5f6964223a2230314d39373250364434504547465052484554575032454832422d31222c226163746976697479223a224368696c645369676e6f6666222c2261726773223a5b395d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a333135333630303030303030302c2261776169746564223a747275652c226361746368223a66616c73652c22746f6b656e223a223835363138613339376466653138303737306531326337386331656639646239222c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363630373737373138382c22617474656d70745f737461727465645f6174223a313739363630373737373138382c226c6173745f6572726f72223a6e756c6c2c226174223a5b382c335d7d7d2c226e6578745f63616c6c223a322c2274696d657273223a7b2261776169743a31223a7b226174223a343935303230373737373138382c226b696e64223a7b226b696e64223a22617761697454696d656f7574222c2263616c6c223a317d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a342c226576656e7473223a307d', NULL, 1796607787188, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M972P6E3WBWYRQYWTF71QMPE', 'Saga', 1, 'waiting', '{"id":5}', NULL, NULL, '[{"kind":"activity","activity":"SagaDecide","callId":"01M972P6E3WBWYRQYWTF71QMPE-2","callback":true,"token":"530a380c05ca880a3b4cdf389415fa1a","until":4950207777248}]', NULL, NULL, 'golden.weft:88', 1796607777219, 1796607777248, 2, '\x7b2276223a312c226964223a2230314d39373250364533574257595251595754463731514d5045222c2266756e63223a362c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a362c227063223a31352c226c6f63616c73223a5b7b226964223a357d2c5b7b222463223a31342c2276223a5b7b22726566223a227235227d5d7d5d2c7b22726566223a227235227d2c6e756c6c2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a327d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2232223a7b2263616c6c5f6964223a2230314d39373250364533574257595251595754463731514d50452d32222c226163746976697479223a2253616761446563696465222c2261726773223a5b227235225d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a333135333630303030303030302c2261776169746564223a747275652c226361746368223a66616c73652c22746f6b656e223a223533306133383063303563613838306133623463646633383934313566613161222c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363630373737373234382c22617474656d70745f737461727465645f6174223a313739363630373737373234382c226c6173745f6572726f72223a6e756c6c2c226174223a5b362c31345d7d7d2c226e6578745f63616c6c223a332c2274696d657273223a7b2261776169743a32223a7b226174223a343935303230373737373234382c226b696e64223a7b226b696e64223a22617761697454696d656f7574222c2263616c6c223a327d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a31342c226576656e7473223a317d', NULL, 1796607787219, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M972P6GYAMANJ301JDYHSEJF', 'Repair', 1, 'failed', '{"id":3}', NULL, '{"message":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}', '[]', NULL, NULL, 'golden.weft:98', 1796607777310, 1796607777359, 2, '\x7b2276223a312c226964223a2230314d39373250364759414d414e4a3330314a44594853454a46222c2266756e63223a372c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a372c227063223a332c226c6f63616c73223a5b7b226964223a337d2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a224661696c6564222c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2231223a7b2263616c6c5f6964223a2230314d39373250364759414d414e4a3330314a44594853454a462d31222c226163746976697479223a225265706169724665746368222c2261726773223a5b335d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a6e756c6c2c2261776169746564223a66616c73652c226361746368223a66616c73652c22746f6b656e223a6e756c6c2c227068617365223a226661696c6564222c22737461727465645f6174223a313739363630373737373331302c22617474656d70745f737461727465645f6174223a313739363630373737373331302c226c6173745f6572726f72223a226e6f7420666f756e64222c226174223a5b372c325d7d7d2c226e6578745f63616c6c223a322c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b2230223a7b226b696e64223a7b226b696e64223a2263616c6c222c2263616c6c223a317d2c226d657373616765223a225265706169724665746368206661696c65643a206e6f7420666f756e64222c226c6f636174696f6e223a7b2266696c65223a22676f6c64656e2e77656674222c226c696e65223a39382c22636f6c223a31352c22736f757263654c696e65223a2266657463686564203d20526570616972466574636828696e7075742e696429227d7d7d2c22737461747573223a226661696c6564222c22726573756c74223a6e756c6c2c227374657073223a332c226576656e7473223a317d', NULL, 1796607787310, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M972P6KWHPDFG7AFM1Q40MH9', 'ForkJoin', 1, 'running', '{"id":5}', NULL, NULL, '[{"kind":"activity","activity":"ForkPayment","callId":"01M972P6KWHPDFG7AFM1Q40MH9-2","callback":false,"token":null,"until":null},{"kind":"activity","activity":"ForkAddress","callId":"01M972P6KWHPDFG7AFM1Q40MH9-3","callback":false,"token":null,"until":null}]', NULL, NULL, 'edition2.weft:10', 1796607777404, 1796607777427, 2, '\x7b2276223a312c226964223a2230314d39373250364b5748504446473741464d315134304d4839222c2266756e63223a392c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a392c227063223a32302c226c6f63616c73223a5b7b226964223a357d2c6e756c6c2c6e756c6c2c6e756c6c2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2247726f7570223a337d2c226f776e6572223a6e756c6c7d2c2232223a7b226672616d6573223a5b7b2266756e63223a31362c227063223a332c226c6f63616c73223a5b7b226964223a357d5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a327d2c226f776e6572223a5b332c315d7d2c2233223a7b226672616d6573223a5b7b2266756e63223a31372c227063223a332c226c6f63616c73223a5b7b226964223a357d5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a337d2c226f776e6572223a5b332c325d7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a342c2263616c6c73223a7b2232223a7b2263616c6c5f6964223a2230314d39373250364b5748504446473741464d315134304d48392d32222c226163746976697479223a22466f726b5061796d656e74222c2261726773223a5b355d2c226669626572223a322c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a6e756c6c2c2261776169746564223a66616c73652c226361746368223a747275652c22746f6b656e223a6e756c6c2c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363630373737373430342c22617474656d70745f737461727465645f6174223a313739363630373737373430342c226c6173745f6572726f72223a6e756c6c2c226174223a5b31362c325d7d2c2233223a7b2263616c6c5f6964223a2230314d39373250364b5748504446473741464d315134304d48392d33222c226163746976697479223a22466f726b41646472657373222c2261726773223a5b355d2c226669626572223a332c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a6e756c6c2c2261776169746564223a66616c73652c226361746368223a747275652c22746f6b656e223a6e756c6c2c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363630373737373430342c22617474656d70745f737461727465645f6174223a313739363630373737373430342c226c6173745f6572726f72223a6e756c6c2c226174223a5b31372c325d7d7d2c226e6578745f63616c6c223a342c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b2233223a7b226d6f6465223a22416c6c222c226669626572223a302c22736c6f7473223a5b7b22446f6e65223a7b227265736572766564223a357d7d2c7b224669626572223a327d2c7b224669626572223a337d5d2c226f706572616e6473223a5b5b7b222462223a307d2c7b222462223a317d2c7b222462223a327d5d5d7d7d2c226e6578745f67726f7570223a342c226661696c75726573223a7b7d2c22737461747573223a2272756e6e696e67222c22726573756c74223a6e756c6c2c227374657073223a33302c226576656e7473223a317d', 'golden-maker-1b4a36ee', 1796607787404, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M972P6N27RY8627G8FQA90KK', 'TallyAround', 1, 'waiting', '{"key":"golden"}', NULL, NULL, '[{"kind":"activity","activity":"TallyApprove","callId":"01M972P6N27RY8627G8FQA90KK-2","callback":true,"token":"460eafc3dbbb7d62a5e9b8d0d905ffd9","until":4950207777442}]', NULL, NULL, 'edition2.weft:31', 1796607777442, 1796607777442, 1, '\x7b2276223a312c226964223a2230314d39373250364e3237525938363237473846514139304b4b222c2266756e63223a31302c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a31302c227063223a31322c226c6f63616c73223a5b7b226b6579223a22676f6c64656e227d2c7b226b6579223a22676f6c64656e222c227374617465223a7b22746f74616c223a317d2c2276657273696f6e223a317d2c6e756c6c2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a327d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2232223a7b2263616c6c5f6964223a2230314d39373250364e3237525938363237473846514139304b4b2d32222c226163746976697479223a2254616c6c79417070726f7665222c2261726773223a5b315d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a333135333630303030303030302c2261776169746564223a747275652c226361746368223a66616c73652c22746f6b656e223a223436306561666333646262623764363261356539623864306439303566666439222c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363630373737373434322c22617474656d70745f737461727465645f6174223a313739363630373737373434322c226c6173745f6572726f72223a6e756c6c2c226174223a5b31302c31315d7d7d2c226e6578745f63616c6c223a332c2274696d657273223a7b2261776169743a32223a7b226174223a343935303230373737373434322c226b696e64223a7b226b696e64223a22617761697454696d656f7574222c2263616c6c223a327d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a31322c226576656e7473223a317d', NULL, 1796607787442, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M972P6N2EXNFPEQ7F78PGX04', 'GoldenTally.Add', 1, 'completed', '{"machine":"GoldenTally","key":"golden","seq":1,"command":"Add","commandId":"01M972P6N27RY8627G8FQA90KK-1","state":{},"input":{"n":1}}', '{"ok":true,"state":{"total":1}}', NULL, '[]', NULL, NULL, NULL, 1796607777442, 1796607777442, 1, '\x7b2276223a312c226964223a2230314d39373250364e3245584e46504551374637385047583034222c2266756e63223a302c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a312c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b226f6b223a747275652c227374617465223a7b22746f74616c223a317d7d2c227374657073223a32342c226576656e7473223a307d', NULL, 1796607787442, 1);


--
-- Data for Name: schedules; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.schema_migrations VALUES (1, 'runs, journal, timers, tasks, tokens, deployments', '2026-12-07 01:42:38.106259+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (2, 'clusters: run leases, the inbox, task leases', '2026-12-07 01:42:38.106259+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (3, 'tasks: the node holding the run, leased through it first', '2026-12-07 01:42:38.106259+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (4, 'stored programs; runs parked because a build could not read them', '2026-12-07 01:42:38.106259+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (5, 'machines: instances, commands, the index of states, events, the instance inbox', '2026-12-07 01:42:38.106259+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (6, 'operating at scale: run counts, list indexes, forks, step causes, audit log', '2026-12-07 01:42:38.106259+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (7, 'events and schedules that start flows: each event id taken once, schedules'' rows by revision', '2026-12-07 01:42:38.106259+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (8, 'pull sources'' cursors', '2026-12-07 01:42:38.106259+00');


--
-- Data for Name: source_cursors; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: tasks; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.tasks VALUES ('01M972P654V3JVYK55TRDNF8B9-2', '01M972P654V3JVYK55TRDNF8B9', '{"callId":"01M972P654V3JVYK55TRDNF8B9-2","runId":"01M972P654V3JVYK55TRDNF8B9","call":2,"activity":"LoopApprove","args":["b"],"attempt":1,"deadline":null,"callbackToken":"56b0db64ce0ec3b9ecf0c1170a9c8e37"}', 'LoopApprove', NULL, 1796607777008, 'golden-maker-1b4a36ee');
INSERT INTO weft_golden_src.tasks VALUES ('01M972P66PXR9CQCAB3HNB8200-2', '01M972P66PXR9CQCAB3HNB8200', '{"callId":"01M972P66PXR9CQCAB3HNB8200-2","runId":"01M972P66PXR9CQCAB3HNB8200","call":2,"activity":"FanoutConfirm","args":[2],"attempt":1,"deadline":null,"callbackToken":"d6e14490bfc46cc2a2a156e4ba782ee1"}', 'FanoutConfirm', NULL, 1796607777032, 'golden-maker-1b4a36ee');
INSERT INTO weft_golden_src.tasks VALUES ('01M972P66PXR9CQCAB3HNB8200-3', '01M972P66PXR9CQCAB3HNB8200', '{"callId":"01M972P66PXR9CQCAB3HNB8200-3","runId":"01M972P66PXR9CQCAB3HNB8200","call":3,"activity":"FanoutSlow","args":[4],"attempt":1,"deadline":null,"callbackToken":null}', 'FanoutSlow', NULL, 1796607777032, 'golden-maker-1b4a36ee');
INSERT INTO weft_golden_src.tasks VALUES ('01M972P6D4H44PTTQP5BKC2DVF-1', '01M972P6D4H44PTTQP5BKC2DVF', '{"callId":"01M972P6D4H44PTTQP5BKC2DVF-1","runId":"01M972P6D4H44PTTQP5BKC2DVF","call":1,"activity":"SideWork","args":[9],"attempt":1,"deadline":null,"callbackToken":null}', 'SideWork', NULL, 1796607777238, 'golden-maker-1b4a36ee');
INSERT INTO weft_golden_src.tasks VALUES ('01M972P6D4PEGFPRHETWP2EH2B-1', '01M972P6D4PEGFPRHETWP2EH2B', '{"callId":"01M972P6D4PEGFPRHETWP2EH2B-1","runId":"01M972P6D4PEGFPRHETWP2EH2B","call":1,"activity":"ChildSignoff","args":[9],"attempt":1,"deadline":null,"callbackToken":"85618a397dfe180770e12c78c1ef9db9"}', 'ChildSignoff', NULL, 1796607777238, 'golden-maker-1b4a36ee');
INSERT INTO weft_golden_src.tasks VALUES ('01M972P6E3WBWYRQYWTF71QMPE-2', '01M972P6E3WBWYRQYWTF71QMPE', '{"callId":"01M972P6E3WBWYRQYWTF71QMPE-2","runId":"01M972P6E3WBWYRQYWTF71QMPE","call":2,"activity":"SagaDecide","args":["r5"],"attempt":1,"deadline":null,"callbackToken":"530a380c05ca880a3b4cdf389415fa1a"}', 'SagaDecide', NULL, 1796607777298, 'golden-maker-1b4a36ee');
INSERT INTO weft_golden_src.tasks VALUES ('01M972P6KWHPDFG7AFM1Q40MH9-2', '01M972P6KWHPDFG7AFM1Q40MH9', '{"callId":"01M972P6KWHPDFG7AFM1Q40MH9-2","runId":"01M972P6KWHPDFG7AFM1Q40MH9","call":2,"activity":"ForkPayment","args":[5],"attempt":1,"deadline":null,"callbackToken":null}', 'ForkPayment', NULL, 1796607777454, 'golden-maker-1b4a36ee');
INSERT INTO weft_golden_src.tasks VALUES ('01M972P6KWHPDFG7AFM1Q40MH9-3', '01M972P6KWHPDFG7AFM1Q40MH9', '{"callId":"01M972P6KWHPDFG7AFM1Q40MH9-3","runId":"01M972P6KWHPDFG7AFM1Q40MH9","call":3,"activity":"ForkAddress","args":[5],"attempt":1,"deadline":null,"callbackToken":null}', 'ForkAddress', NULL, 1796607777454, 'golden-maker-1b4a36ee');
INSERT INTO weft_golden_src.tasks VALUES ('01M972P6N27RY8627G8FQA90KK-2', '01M972P6N27RY8627G8FQA90KK', '{"callId":"01M972P6N27RY8627G8FQA90KK-2","runId":"01M972P6N27RY8627G8FQA90KK","call":2,"activity":"TallyApprove","args":[1],"attempt":1,"deadline":null,"callbackToken":"460eafc3dbbb7d62a5e9b8d0d905ffd9"}', 'TallyApprove', NULL, 1796607777492, 'golden-maker-1b4a36ee');


--
-- Data for Name: timers; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.timers VALUES ('01M972P654V3JVYK55TRDNF8B9', 'await:2', 4950207776958);
INSERT INTO weft_golden_src.timers VALUES ('01M972P66PXR9CQCAB3HNB8200', 'await:2', 4950207776982);
INSERT INTO weft_golden_src.timers VALUES ('01M972P66PXR9CQCAB3HNB8200', 'sleep:3', 1796607896982);
INSERT INTO weft_golden_src.timers VALUES ('01M972P67XT56XCG5S6PGHE0Z4', 'backoff:2', 1796607857644);
INSERT INTO weft_golden_src.timers VALUES ('01M972P6AQ5B92QPSA9ZZ26Q7C', 'sleep:0', 1796607897132);
INSERT INTO weft_golden_src.timers VALUES ('01M972P6D4PEGFPRHETWP2EH2B', 'await:1', 4950207777188);
INSERT INTO weft_golden_src.timers VALUES ('01M972P6E3WBWYRQYWTF71QMPE', 'await:2', 4950207777248);
INSERT INTO weft_golden_src.timers VALUES ('01M972P6N27RY8627G8FQA90KK', 'await:2', 4950207777442);


--
-- Data for Name: tokens; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.tokens VALUES ('550778c912b3d8df5c3dc6d25f643662', '01M972NME8R83JEGJFJJN8EB53', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('4ad3692f7e6f44f7215de821ea57f2a2', '01M972NME8R83JEGJFJJN8EB53', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('8233002284caab5980e0232dd2c5b0e6', '01M972NME8R83JEGJFJJN8EB53', 3, false);
INSERT INTO weft_golden_src.tokens VALUES ('ceb8565d1f9eb76d8cf968a284441612', '01M972NMPDF6G44RV7KNZ8FDJR', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('01f9f7f7858b1587480ea4efd6daad98', '01M972P386Z6PV8H5KKWBCJP0T', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('5aa927700e4655d29730678f4a66129e', '01M972P5G8PYEGFAQFAAC5J7G1', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('89aa7d40f32b1d26b6ac99d3c51d848d', '01M972P629KKQW36XGAY8K24BJ', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('56b0db64ce0ec3b9ecf0c1170a9c8e37', '01M972P654V3JVYK55TRDNF8B9', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('1707013685d3619788aca667bf5acc68', '01M972P654V3JVYK55TRDNF8B9', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('d6e14490bfc46cc2a2a156e4ba782ee1', '01M972P66PXR9CQCAB3HNB8200', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('85618a397dfe180770e12c78c1ef9db9', '01M972P6D4PEGFPRHETWP2EH2B', 1, true);
INSERT INTO weft_golden_src.tokens VALUES ('530a380c05ca880a3b4cdf389415fa1a', '01M972P6E3WBWYRQYWTF71QMPE', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('460eafc3dbbb7d62a5e9b8d0d905ffd9', '01M972P6N27RY8627G8FQA90KK', 2, true);


--
-- Name: audit_id_seq; Type: SEQUENCE SET; Schema: weft_golden_src; Owner: -
--

SELECT pg_catalog.setval('weft_golden_src.audit_id_seq', 1, true);


--
-- Name: audit_runs_seq_seq; Type: SEQUENCE SET; Schema: weft_golden_src; Owner: -
--

SELECT pg_catalog.setval('weft_golden_src.audit_runs_seq_seq', 1, true);


--
-- Name: events_seq_seq; Type: SEQUENCE SET; Schema: weft_golden_src; Owner: -
--

SELECT pg_catalog.setval('weft_golden_src.events_seq_seq', 3, true);


--
-- Name: inbox_id_seq; Type: SEQUENCE SET; Schema: weft_golden_src; Owner: -
--

SELECT pg_catalog.setval('weft_golden_src.inbox_id_seq', 1, false);


--
-- Name: machine_events_id_seq; Type: SEQUENCE SET; Schema: weft_golden_src; Owner: -
--

SELECT pg_catalog.setval('weft_golden_src.machine_events_id_seq', 3, true);


--
-- Name: machine_inbox_id_seq; Type: SEQUENCE SET; Schema: weft_golden_src; Owner: -
--

SELECT pg_catalog.setval('weft_golden_src.machine_inbox_id_seq', 1, false);


--
-- Name: audit audit_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.audit
    ADD CONSTRAINT audit_pkey PRIMARY KEY (id);


--
-- Name: audit_runs audit_runs_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.audit_runs
    ADD CONSTRAINT audit_runs_pkey PRIMARY KEY (seq);


--
-- Name: deployment_flows deployment_flows_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.deployment_flows
    ADD CONSTRAINT deployment_flows_pkey PRIMARY KEY (flow, version);


--
-- Name: deployments deployments_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.deployments
    ADD CONSTRAINT deployments_pkey PRIMARY KEY (version);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id);


--
-- Name: events events_seq_key; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.events
    ADD CONSTRAINT events_seq_key UNIQUE (seq);


--
-- Name: idempotency_keys idempotency_keys_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.idempotency_keys
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (key);


--
-- Name: inbox inbox_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.inbox
    ADD CONSTRAINT inbox_pkey PRIMARY KEY (id);


--
-- Name: journal journal_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.journal
    ADD CONSTRAINT journal_pkey PRIMARY KEY (run_id, step);


--
-- Name: machine_commands machine_commands_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.machine_commands
    ADD CONSTRAINT machine_commands_pkey PRIMARY KEY (machine, key, seq);


--
-- Name: machine_events machine_events_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.machine_events
    ADD CONSTRAINT machine_events_pkey PRIMARY KEY (id);


--
-- Name: machine_inbox machine_inbox_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.machine_inbox
    ADD CONSTRAINT machine_inbox_pkey PRIMARY KEY (id);


--
-- Name: machine_instances machine_instances_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.machine_instances
    ADD CONSTRAINT machine_instances_pkey PRIMARY KEY (machine, key);


--
-- Name: parked_inbox parked_inbox_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.parked_inbox
    ADD CONSTRAINT parked_inbox_pkey PRIMARY KEY (id);


--
-- Name: parked_runs parked_runs_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.parked_runs
    ADD CONSTRAINT parked_runs_pkey PRIMARY KEY (run_id);


--
-- Name: parked_tasks parked_tasks_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.parked_tasks
    ADD CONSTRAINT parked_tasks_pkey PRIMARY KEY (run_id, call_id);


--
-- Name: parked_timers parked_timers_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.parked_timers
    ADD CONSTRAINT parked_timers_pkey PRIMARY KEY (run_id, key);


--
-- Name: pollers pollers_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.pollers
    ADD CONSTRAINT pollers_pkey PRIMARY KEY (activity, worker, node);


--
-- Name: run_counts run_counts_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.run_counts
    ADD CONSTRAINT run_counts_pkey PRIMARY KEY (shard, flow, status);


--
-- Name: run_forks run_forks_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.run_forks
    ADD CONSTRAINT run_forks_pkey PRIMARY KEY (id);


--
-- Name: runs runs_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.runs
    ADD CONSTRAINT runs_pkey PRIMARY KEY (id);


--
-- Name: schedules schedules_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.schedules
    ADD CONSTRAINT schedules_pkey PRIMARY KEY (name);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: source_cursors source_cursors_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.source_cursors
    ADD CONSTRAINT source_cursors_pkey PRIMARY KEY (source);


--
-- Name: tasks tasks_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.tasks
    ADD CONSTRAINT tasks_pkey PRIMARY KEY (call_id);


--
-- Name: timers timers_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.timers
    ADD CONSTRAINT timers_pkey PRIMARY KEY (run_id, key);


--
-- Name: tokens tokens_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.tokens
    ADD CONSTRAINT tokens_pkey PRIMARY KEY (token);


--
-- Name: audit_runs_by_audit; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX audit_runs_by_audit ON weft_golden_src.audit_runs USING btree (audit_id, seq);


--
-- Name: audit_runs_by_run; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX audit_runs_by_run ON weft_golden_src.audit_runs USING btree (run_id, audit_id);


--
-- Name: inbox_by_run; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX inbox_by_run ON weft_golden_src.inbox USING btree (run_id, id);


--
-- Name: machine_command_ids; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE UNIQUE INDEX machine_command_ids ON weft_golden_src.machine_commands USING btree (machine, key, command_id);


--
-- Name: machine_fields_num; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX machine_fields_num ON weft_golden_src.machine_fields USING btree (machine, path, kind, num, key);


--
-- Name: machine_fields_of; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX machine_fields_of ON weft_golden_src.machine_fields USING btree (machine, key);


--
-- Name: machine_fields_text; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX machine_fields_text ON weft_golden_src.machine_fields USING btree (machine, path, kind, text, key);


--
-- Name: machine_inbox_by_instance; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX machine_inbox_by_instance ON weft_golden_src.machine_inbox USING btree (machine, key, id);


--
-- Name: machine_instances_open; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX machine_instances_open ON weft_golden_src.machine_instances USING btree (machine, key) WHERE (next_seq > (finished + 1));


--
-- Name: machine_instances_unindexed; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX machine_instances_unindexed ON weft_golden_src.machine_instances USING btree (machine, key) WHERE (NOT indexed);


--
-- Name: parked_inbox_by_run; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX parked_inbox_by_run ON weft_golden_src.parked_inbox USING btree (run_id, id);


--
-- Name: run_forks_by_origin; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX run_forks_by_origin ON weft_golden_src.run_forks USING btree (forked_from);


--
-- Name: runs_by_created; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX runs_by_created ON weft_golden_src.runs USING btree (created_at, id);


--
-- Name: runs_by_flow; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX runs_by_flow ON weft_golden_src.runs USING btree (flow, id);


--
-- Name: runs_by_flow_status; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX runs_by_flow_status ON weft_golden_src.runs USING btree (flow, status, id);


--
-- Name: runs_by_parent; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX runs_by_parent ON weft_golden_src.runs USING btree (parent, id) WHERE (parent IS NOT NULL);


--
-- Name: runs_by_status; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX runs_by_status ON weft_golden_src.runs USING btree (status, id);


--
-- Name: runs_top_level; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX runs_top_level ON weft_golden_src.runs USING btree (id) WHERE (parent IS NULL);


--
-- Name: tasks_by_activity; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX tasks_by_activity ON weft_golden_src.tasks USING btree (activity, lease_until);


--
-- Name: tasks_unleased_by_node; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX tasks_unleased_by_node ON weft_golden_src.tasks USING btree (node, activity) WHERE (leased_by IS NULL);


--
-- Name: timers_by_at; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX timers_by_at ON weft_golden_src.timers USING btree (at, run_id, key);


--
-- Name: deployment_flows deployment_flows_version_fkey; Type: FK CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.deployment_flows
    ADD CONSTRAINT deployment_flows_version_fkey FOREIGN KEY (version) REFERENCES weft_golden_src.deployments(version);


--
-- PostgreSQL database dump complete
--


