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

INSERT INTO weft_golden_src.audit VALUES (1, 1796617941106, 'api', 'retry', '{}', 1, 1, 0, 1796617941106);


--
-- Data for Name: audit_runs; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.audit_runs VALUES (1, 1, '01M97CCBKTTM8MW039EH7E4W17', NULL);


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

INSERT INTO weft_golden_src.deployments VALUES (1, '["LoopAwait","Fanout","RetryPending","Poller","Parent","Saga","Repair","ChildApproval","ForkJoin","TallyAround","machine:GoldenTally"]', '[{"name":"golden.weft","text":"// Flows whose runs a release leaves waiting as golden data\n// (scripts/make-golden.sh; crates/weft-cli/tests/golden.rs finishes them\n// with every later build). Each flow calls activities of its own, so a\n// poll for one activity only ever finds the task of one run. Timers armed\n// before the server stops take `input.pause` (minutes in the golden run,\n// seconds in its control run); timers armed after take seconds.\n\n// A wait inside a loop: one callback per item, with a running total.\nflow LoopAwait(input) {\n    total = 0\n    seen = []\n    for item in input.items {\n        answer = await LoopApprove(item) @timeout(36500d)\n        total += answer.points\n        seen = append(seen, {item: item, points: answer.points})\n    }\n    return {total: total, seen: seen}\n}\n\n// Branches of ParallelForEach, each waiting for something else: a\n// callback, a timer, a task; one is done before the server stops.\nflow Fanout(input) {\n    results = ParallelForEach(input.items, func(item) {\n        if item.kind == \"callback\" {\n            r = await FanoutConfirm(item.id) @timeout(36500d)\n            return {id: item.id, confirmed: r.ok}\n        }\n        if item.kind == \"sleep\" {\n            Sleep(input.pause)\n            return {id: item.id, slept: true}\n        }\n        if item.kind == \"slow\" {\n            s = FanoutSlow(item.id)\n            return {id: item.id, slow: s}\n        }\n        w = FanoutWork(item.id)\n        return {id: item.id, work: w}\n    })\n    summary = FanoutSummarize(len(results))\n    return {results: results, summary: summary}\n}\n\n// A call whose failed attempt waits out its back-off.\nflow RetryPending(input) {\n    prepared = RetryPrepare(input.id)\n    flaky = RetryFlaky(prepared) @retry(3, backoff: input.pause, maxBackoff: input.pause)\n    return {prepared: prepared, flaky: flaky}\n}\n\n// Timers in a loop: the run sleeps between polls.\nflow Poller(input) {\n    polls = []\n    for i in range(len(input.pauses)) {\n        status = PollStatus(i)\n        polls = append(polls, status)\n        if status == \"done\" {\n            break\n        }\n        Sleep(input.pauses[i])\n    }\n    return {polls: polls}\n}\n\n// Sub-flows: a called flow waits for a callback while an inline flow waits\n// for a task; after both, the parent sleeps in a loop.\nflow Parent(input) {\n    side = flow SideJob(input) {\n        s = SideWork(input.id)\n        return {side: s}\n    }\n    child = ChildApproval({id: input.id})\n    n = 0\n    while n < 2 {\n        Sleep(1s)\n        n++\n    }\n    return {child: child, side: side, n: n}\n}\n\n// A saga: a compensation kept as a closure while the run waits for a\n// decision, run by the prelude''s RunCompensations.\nflow Saga(input) {\n    var undo = []\n    reserved = SagaReserve(input.id)\n    undo = append(undo, func() {\n        return SagaRelease(reserved.ref)\n    })\n    decision = await SagaDecide(reserved.ref) @timeout(36500d)\n    if decision.ok != true {\n        undone = RunCompensations(undo)\n        return {status: \"compensated\", undone: undone}\n    }\n    return {status: \"kept\", ref: reserved.ref}\n}\n\n// A call that failed for good: the run waits for an operator.\nflow Repair(input) {\n    fetched = RepairFetch(input.id)\n    return {fetched: fetched}\n}\n"},{"name":"children.weft","text":"// A flow of a second file, called from golden.weft''s Parent.\nflow ChildApproval(req) {\n    signed = await ChildSignoff(req.id) @timeout(36500d)\n    return {approved: signed.approved, id: req.id}\n}\n"},{"name":"edition2.weft","text":"// Flows of the golden sets made from edition 2 on (the seed as written):\n// calls forked by assignment and joined by WaitAll, and a machine whose\n// instance a run changes before and after it waits. Each flow calls\n// activities of its own, as in golden.weft.\n\n// Fork by assignment: the three calls overlap; one is done before the\n// server stops, one fails for good after it (an entry of `errors`).\nflow ForkJoin(input) {\n    inventory = ForkInventory(input.id)\n    payment = ForkPayment(input.id)\n    address = ForkAddress(input.id)\n    results = WaitAll([inventory, payment, address])\n    if results.allSuccess {\n        return {ok: true, results: results.results}\n    }\n    return {ok: false, errors: len(results.errors)}\n}\n\n// A machine''s instance, changed once before the run waits and once after:\n// the instance, its history and the command queue live in the store the\n// later build reads.\nmachine GoldenTally {\n    state { total: number = 0 }\n    command Add(input: {n: number}) {\n        return {total: state.total + input.n}\n    }\n}\n\nflow TallyAround(input) {\n    first = GoldenTally(input.key).Add(n: 1)\n    answer = await TallyApprove(first.state.total) @timeout(36500d)\n    second = GoldenTally(input.key).Add(n: answer.n)\n    return {first: first.state.total, second: second.state.total, version: second.version}\n}\n"}]', 1796617917938, '{"format":1,"edition":2,"compiler":"weft-engine 0.1.0 compiler:11ebc45184141566","files":[{"name":"golden.weft","text":"// Flows whose runs a release leaves waiting as golden data\n// (scripts/make-golden.sh; crates/weft-cli/tests/golden.rs finishes them\n// with every later build). Each flow calls activities of its own, so a\n// poll for one activity only ever finds the task of one run. Timers armed\n// before the server stops take `input.pause` (minutes in the golden run,\n// seconds in its control run); timers armed after take seconds.\n\n// A wait inside a loop: one callback per item, with a running total.\nflow LoopAwait(input) {\n    total = 0\n    seen = []\n    for item in input.items {\n        answer = await LoopApprove(item) @timeout(36500d)\n        total += answer.points\n        seen = append(seen, {item: item, points: answer.points})\n    }\n    return {total: total, seen: seen}\n}\n\n// Branches of ParallelForEach, each waiting for something else: a\n// callback, a timer, a task; one is done before the server stops.\nflow Fanout(input) {\n    results = ParallelForEach(input.items, func(item) {\n        if item.kind == \"callback\" {\n            r = await FanoutConfirm(item.id) @timeout(36500d)\n            return {id: item.id, confirmed: r.ok}\n        }\n        if item.kind == \"sleep\" {\n            Sleep(input.pause)\n            return {id: item.id, slept: true}\n        }\n        if item.kind == \"slow\" {\n            s = FanoutSlow(item.id)\n            return {id: item.id, slow: s}\n        }\n        w = FanoutWork(item.id)\n        return {id: item.id, work: w}\n    })\n    summary = FanoutSummarize(len(results))\n    return {results: results, summary: summary}\n}\n\n// A call whose failed attempt waits out its back-off.\nflow RetryPending(input) {\n    prepared = RetryPrepare(input.id)\n    flaky = RetryFlaky(prepared) @retry(3, backoff: input.pause, maxBackoff: input.pause)\n    return {prepared: prepared, flaky: flaky}\n}\n\n// Timers in a loop: the run sleeps between polls.\nflow Poller(input) {\n    polls = []\n    for i in range(len(input.pauses)) {\n        status = PollStatus(i)\n        polls = append(polls, status)\n        if status == \"done\" {\n            break\n        }\n        Sleep(input.pauses[i])\n    }\n    return {polls: polls}\n}\n\n// Sub-flows: a called flow waits for a callback while an inline flow waits\n// for a task; after both, the parent sleeps in a loop.\nflow Parent(input) {\n    side = flow SideJob(input) {\n        s = SideWork(input.id)\n        return {side: s}\n    }\n    child = ChildApproval({id: input.id})\n    n = 0\n    while n < 2 {\n        Sleep(1s)\n        n++\n    }\n    return {child: child, side: side, n: n}\n}\n\n// A saga: a compensation kept as a closure while the run waits for a\n// decision, run by the prelude''s RunCompensations.\nflow Saga(input) {\n    var undo = []\n    reserved = SagaReserve(input.id)\n    undo = append(undo, func() {\n        return SagaRelease(reserved.ref)\n    })\n    decision = await SagaDecide(reserved.ref) @timeout(36500d)\n    if decision.ok != true {\n        undone = RunCompensations(undo)\n        return {status: \"compensated\", undone: undone}\n    }\n    return {status: \"kept\", ref: reserved.ref}\n}\n\n// A call that failed for good: the run waits for an operator.\nflow Repair(input) {\n    fetched = RepairFetch(input.id)\n    return {fetched: fetched}\n}\n"},{"name":"children.weft","text":"// A flow of a second file, called from golden.weft''s Parent.\nflow ChildApproval(req) {\n    signed = await ChildSignoff(req.id) @timeout(36500d)\n    return {approved: signed.approved, id: req.id}\n}\n"},{"name":"edition2.weft","text":"// Flows of the golden sets made from edition 2 on (the seed as written):\n// calls forked by assignment and joined by WaitAll, and a machine whose\n// instance a run changes before and after it waits. Each flow calls\n// activities of its own, as in golden.weft.\n\n// Fork by assignment: the three calls overlap; one is done before the\n// server stops, one fails for good after it (an entry of `errors`).\nflow ForkJoin(input) {\n    inventory = ForkInventory(input.id)\n    payment = ForkPayment(input.id)\n    address = ForkAddress(input.id)\n    results = WaitAll([inventory, payment, address])\n    if results.allSuccess {\n        return {ok: true, results: results.results}\n    }\n    return {ok: false, errors: len(results.errors)}\n}\n\n// A machine''s instance, changed once before the run waits and once after:\n// the instance, its history and the command queue live in the store the\n// later build reads.\nmachine GoldenTally {\n    state { total: number = 0 }\n    command Add(input: {n: number}) {\n        return {total: state.total + input.n}\n    }\n}\n\nflow TallyAround(input) {\n    first = GoldenTally(input.key).Add(n: 1)\n    answer = await TallyApprove(first.state.total) @timeout(36500d)\n    second = GoldenTally(input.key).Add(n: answer.n)\n    return {first: first.state.total, second: second.state.total, version: second.version}\n}\n"},{"name":"<prelude>","text":"\nflow RunCompensations(list) {\n    results = []\n    i = len(list) - 1\n    while i >= 0 {\n        results = append(results, list[i]())\n        i--\n    }\n    return results\n}\n"}],"flows":[["LoopAwait",1],["Fanout",2],["RetryPending",3],["Poller",4],["Parent",5],["Saga",6],["Repair",7],["ChildApproval",8],["ForkJoin",9],["TallyAround",10]],"functions":[{"name":"GoldenTally.Add","kind":"handler","file":2,"params":[0,1,2],"slots":["state","key","input"],"span":[959,1044],"code":[{"Load":0},"Null",{"Binary":"=="},{"JumpIfFalse":6},"NewObject",{"Store":0},{"Load":0},{"GetField":5},"Null",{"Binary":"=="},{"JumpIfFalse":14},{"Const":5},{"Const":54},{"SetPath":[0,1,null]},"NewObject",{"Bool":true},{"ObjSet":11},"NewObject",{"Load":0},{"GetField":5},{"Load":2},{"GetField":32},{"Binary":"+"},{"ObjSet":5},{"ObjSet":46},"Return","NewObject",{"Bool":true},{"ObjSet":11},{"Load":0},{"ObjSet":46},"Return"],"spans":[933,954,933,954,933,954,933,954,933,954,933,954,935,952,935,952,935,952,935,952,935,952,935,952,951,952,935,952,1001,1038,1001,1038,1001,1038,1008,1038,1016,1021,1022,1027,1030,1035,1036,1037,1016,1037,1009,1014,1001,1038,1001,1038,1044,1044,1044,1044,1044,1044,1044,1044,1044,1044,1044,1044]},{"name":"LoopAwait","kind":"flow","file":0,"params":[0],"slots":["input","total","seen","item","answer","$list5","$i6"],"span":[491,772],"code":[{"Const":0},{"Store":1},"NewList",{"Store":2},{"Load":0},{"GetField":1},{"IterInit":[5,6]},{"IterNext":[5,6,3,27]},{"Load":3},{"Const":2},{"CallActivity":0},{"Store":4},{"Load":1},{"Load":4},{"GetField":3},{"Binary":"+"},{"Store":1},{"Load":2},"NewObject",{"Load":3},{"ObjSet":4},{"Load":4},{"GetField":3},{"ObjSet":3},{"CallBuiltin":["append",2]},{"Store":2},{"Jump":7},"NewObject",{"Load":1},{"ObjSet":5},{"Load":2},{"ObjSet":6},"Return","Null","Return"],"spans":[527,528,519,528,540,542,533,542,559,564,565,570,559,570,551,555,608,612,623,629,596,630,581,630,639,644,648,654,655,661,639,661,639,661,684,688,690,725,697,701,691,695,711,717,718,724,703,709,677,726,670,726,571,732,744,770,752,757,745,750,765,769,759,763,737,770,772,772,772,772]},{"name":"Fanout","kind":"flow","file":0,"params":[0],"slots":["input","results","summary"],"span":[908,1556],"code":[{"Load":0},{"GetField":1},{"Load":0},{"MakeClosure":12},"ParallelForEach",{"Store":1},{"Load":1},{"CallBuiltin":["len",1]},{"CallActivity":4},{"Store":2},"NewObject",{"Load":1},{"ObjSet":18},{"Load":2},{"ObjSet":19},"Return","Null","Return"],"spans":[959,964,965,970,972,1461,972,1461,943,1462,933,1462,1497,1504,1493,1505,1477,1506,1467,1506,1518,1554,1528,1535,1519,1526,1546,1553,1537,1544,1511,1554,1556,1556,1556,1556]},{"name":"RetryPending","kind":"flow","file":0,"params":[0],"slots":["input","prepared","flaky"],"span":[1613,1815],"code":[{"Load":0},{"GetField":9},{"CallActivity":5},{"Store":1},{"Load":1},{"Const":20},{"Load":0},{"GetField":14},{"Load":0},{"GetField":14},{"CallActivity":6},{"Store":2},"NewObject",{"Load":1},{"ObjSet":21},{"Load":2},{"ObjSet":22},"Return","Null","Return"],"spans":[1668,1673,1674,1676,1655,1677,1644,1677,1701,1709,1718,1719,1730,1735,1736,1741,1755,1760,1761,1766,1690,1767,1682,1767,1779,1813,1790,1798,1780,1788,1807,1812,1800,1805,1772,1813,1815,1815,1815,1815]},{"name":"Poller","kind":"flow","file":0,"params":[0],"slots":["input","polls","i","status","$list4","$i5"],"span":[1868,2135],"code":["NewList",{"Store":1},{"Load":0},{"GetField":23},{"CallBuiltin":["len",1]},{"CallBuiltin":["range",1]},{"IterInit":[4,5]},{"IterNext":[4,5,2,27]},{"Load":2},{"CallActivity":7},{"Store":3},{"Load":1},{"Load":3},{"CallBuiltin":["append",2]},{"Store":1},{"Load":3},{"Const":24},{"Binary":"=="},{"JumpIfFalse":20},{"Jump":27},{"Load":0},{"GetField":23},{"Load":2},"GetIndex",{"CallBuiltin":["Sleep",1]},"Pop",{"Jump":7},"NewObject",{"Load":1},{"ObjSet":25},"Return","Null","Return"],"spans":[1901,1903,1893,1903,1927,1932,1933,1939,1923,1940,1917,1941,1917,1941,1912,1913,1972,1973,1961,1974,1952,1974,1998,2003,2005,2011,1991,2012,1983,2012,2024,2030,2034,2040,2024,2040,2024,2040,2055,2060,2085,2090,2091,2097,2098,2099,2085,2100,2079,2101,2079,2101,1942,2107,2119,2133,2127,2132,2120,2125,2112,2133,2135,2135,2135,2135]},{"name":"Parent","kind":"flow","file":0,"params":[0],"slots":["input","side","child","n"],"span":[2269,2536],"code":[{"Load":0},{"StartInline":13},{"Store":1},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"CallFlow":[8,1]},{"Store":2},{"Const":27},{"Store":3},{"Load":3},{"Const":28},{"Binary":"<"},{"JumpIfFalse":23},{"Const":29},{"CallBuiltin":["Sleep",1]},"Pop",{"Load":3},{"Const":30},{"Binary":"+"},{"Store":3},{"Jump":11},"NewObject",{"Load":2},{"ObjSet":31},{"Load":1},{"ObjSet":26},{"Load":3},{"ObjSet":32},"Return","Null","Return"],"spans":[2314,2319,2306,2313,2294,2384,2411,2425,2416,2421,2422,2424,2412,2414,2397,2426,2389,2426,2435,2436,2431,2436,2447,2448,2451,2452,2447,2452,2447,2452,2469,2471,2463,2472,2463,2472,2481,2482,2481,2484,2481,2484,2481,2484,2453,2490,2502,2534,2510,2515,2503,2508,2523,2527,2517,2521,2532,2533,2529,2530,2495,2534,2536,2536,2536,2536]},{"name":"Saga","kind":"flow","file":0,"params":[0],"slots":["input","undo","reserved","decision","undone"],"span":[2660,3056],"code":["NewList",{"Store":1},{"Load":0},{"GetField":9},{"CallActivity":9},{"Store":2},{"Load":1},{"Load":2},{"MakeClosure":14},{"CallBuiltin":["append",2]},{"Store":1},{"Load":2},{"GetField":33},{"Const":34},{"CallActivity":11},{"Store":3},{"Load":3},{"GetField":11},{"Bool":true},{"Binary":"!="},{"JumpIfFalse":30},{"Load":1},{"CallFunc":[11,1]},{"Store":4},"NewObject",{"Const":35},{"ObjSet":36},{"Load":4},{"ObjSet":37},"Return","NewObject",{"Const":38},{"ObjSet":36},{"Load":2},{"GetField":33},{"ObjSet":33},"Return","Null","Return"],"spans":[2694,2696,2683,2696,2724,2729,2730,2732,2712,2733,2701,2733,2752,2756,2758,2813,2758,2813,2745,2814,2738,2814,2847,2855,2856,2859,2870,2876,2836,2877,2819,2877,2885,2893,2894,2896,2900,2904,2885,2904,2885,2904,2941,2945,2924,2946,2915,2946,2962,3001,2971,2984,2963,2969,2994,3000,2986,2992,2955,3001,3019,3054,3028,3034,3020,3026,3041,3049,3050,3053,3036,3039,3012,3054,3056,3056,3056,3056]},{"name":"Repair","kind":"flow","file":0,"params":[0],"slots":["input","fetched"],"span":[3121,3209],"code":[{"Load":0},{"GetField":9},{"CallActivity":12},{"Store":1},"NewObject",{"Load":1},{"ObjSet":39},"Return","Null","Return"],"spans":[3168,3173,3174,3176,3156,3177,3146,3177,3189,3207,3199,3206,3190,3197,3182,3207,3209,3209,3209,3209]},{"name":"ChildApproval","kind":"flow","file":1,"params":[0],"slots":["req","signed"],"span":[62,197],"code":[{"Load":0},{"GetField":9},{"Const":40},{"CallActivity":13},{"Store":1},"NewObject",{"Load":1},{"GetField":41},{"ObjSet":41},{"Load":0},{"GetField":9},{"ObjSet":9},"Return","Null","Return"],"spans":[120,123,124,126,137,143,107,144,92,144,156,195,167,173,174,182,157,165,188,191,192,194,184,186,149,195,197,197,197,197]},{"name":"ForkJoin","kind":"flow","file":2,"params":[0],"slots":["input","inventory","payment","address","results"],"span":[402,729],"code":[{"Load":0},{"MakeClosure":15},"Fork",{"Store":1},{"Load":0},{"MakeClosure":16},"Fork",{"Store":2},{"Load":0},{"MakeClosure":17},"Fork",{"Store":3},"NewList",{"Take":1},"ListPush",{"Take":2},"ListPush",{"Take":3},"ListPush",{"Parallel":"all"},{"Store":4},{"Load":4},{"GetField":42},{"JumpIfFalse":31},"NewObject",{"Bool":true},{"ObjSet":11},{"Load":4},{"GetField":18},{"ObjSet":18},"Return","NewObject",{"Bool":false},{"ObjSet":11},{"Load":4},{"GetField":43},{"CallBuiltin":["len",1]},{"ObjSet":43},"Return","Null","Return"],"spans":[441,464,441,464,441,464,429,464,479,500,479,500,479,500,469,500,515,536,515,536,515,536,505,536,559,588,560,569,560,569,571,578,571,578,580,587,580,587,551,589,541,589,597,604,605,615,597,615,633,669,638,642,634,636,653,660,661,668,644,651,626,669,687,727,692,697,688,690,711,718,719,725,707,726,699,705,680,727,729,729,729,729]},{"name":"TallyAround","kind":"flow","file":2,"params":[0],"slots":["input","first","answer","second"],"span":[1048,1332],"code":[{"Load":0},{"GetField":44},"NewObject",{"Const":45},{"ObjSet":32},{"CallActivity":17},{"Store":1},{"Load":1},{"GetField":46},{"GetField":5},{"Const":47},{"CallActivity":18},{"Store":2},{"Load":0},{"GetField":44},"NewObject",{"Load":2},{"GetField":32},{"ObjSet":32},{"CallActivity":19},{"Store":3},"NewObject",{"Load":1},{"GetField":46},{"GetField":5},{"ObjSet":48},{"Load":3},{"GetField":46},{"GetField":5},{"ObjSet":49},{"Load":3},{"GetField":50},{"ObjSet":50},"Return","Null","Return"],"spans":[1098,1103,1104,1107,1086,1118,1116,1117,1113,1114,1086,1118,1078,1118,1151,1156,1157,1162,1163,1168,1179,1185,1138,1186,1123,1186,1212,1217,1218,1221,1200,1239,1230,1236,1237,1238,1227,1228,1200,1239,1191,1239,1251,1330,1259,1264,1265,1270,1271,1276,1252,1257,1286,1292,1293,1298,1299,1304,1278,1284,1315,1321,1322,1329,1306,1313,1244,1330,1332,1332,1332,1332]},{"name":"RunCompensations","kind":"prelude","file":3,"params":[0],"slots":["list","results","i"],"span":[1,172],"code":["NewList",{"Store":1},{"Load":0},{"CallBuiltin":["len",1]},{"Const":51},{"Binary":"-"},{"Store":2},{"Load":2},{"Const":52},{"Binary":">="},{"JumpIfFalse":23},{"Load":1},{"Load":0},{"Load":2},"GetIndex",{"CallClosure":0},{"CallBuiltin":["append",2]},{"Store":1},{"Load":2},{"Const":53},{"Binary":"-"},{"Store":2},{"Jump":7},{"Load":1},"Return","Null","Return"],"spans":[45,47,35,47,60,64,56,65,68,69,56,69,52,69,80,81,85,86,80,86,80,86,114,121,123,127,128,129,123,130,123,132,107,133,97,133,142,143,142,145,142,145,142,145,87,151,163,170,156,170,172,172,172,172]},{"name":"func","kind":"lambda","file":0,"params":[0],"captures":[{"name":"input","slot":4}],"slots":["item","r","s","w","input"],"span":[972,1461],"code":[{"Load":0},{"GetField":7},{"Const":8},{"Binary":"=="},{"JumpIfFalse":18},{"Load":0},{"GetField":9},{"Const":10},{"CallActivity":1},{"Store":1},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Load":1},{"GetField":11},{"ObjSet":12},"Return",{"Load":0},{"GetField":7},{"Const":13},{"Binary":"=="},{"JumpIfFalse":34},{"Load":4},{"GetField":14},{"CallBuiltin":["Sleep",1]},"Pop","NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Bool":true},{"ObjSet":15},"Return",{"Load":0},{"GetField":7},{"Const":16},{"Binary":"=="},{"JumpIfFalse":50},{"Load":0},{"GetField":9},{"CallActivity":2},{"Store":2},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Load":2},{"ObjSet":16},"Return",{"Load":0},{"GetField":9},{"CallActivity":3},{"Store":3},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Load":3},{"ObjSet":17},"Return","Null","Return"],"spans":[996,1000,1001,1005,1009,1019,996,1019,996,1019,1058,1062,1063,1065,1076,1082,1044,1083,1034,1083,1103,1133,1108,1112,1113,1115,1104,1106,1128,1129,1130,1132,1117,1126,1096,1133,1155,1159,1160,1164,1168,1175,1155,1175,1155,1175,1196,1201,1202,1207,1190,1208,1190,1208,1228,1254,1233,1237,1238,1240,1229,1231,1249,1253,1242,1247,1221,1254,1276,1280,1281,1285,1289,1295,1276,1295,1276,1295,1325,1329,1330,1332,1314,1333,1310,1333,1353,1375,1358,1362,1363,1365,1354,1356,1373,1374,1367,1371,1346,1375,1409,1413,1414,1416,1398,1417,1394,1417,1433,1455,1438,1442,1443,1445,1434,1436,1453,1454,1447,1451,1426,1455,1461,1461,1461,1461]},{"name":"SideJob","kind":"inlineFlow","file":0,"params":[0],"paramLabels":["input"],"slots":["input","s"],"span":[2301,2384],"code":[{"Load":0},{"GetField":9},{"CallActivity":8},{"Store":1},"NewObject",{"Load":1},{"ObjSet":26},"Return","Null","Return"],"spans":[2344,2349,2350,2352,2335,2353,2331,2353,2369,2378,2376,2377,2370,2374,2362,2378,2384,2384,2384,2384]},{"name":"func","kind":"lambda","file":0,"params":[],"captures":[{"name":"reserved","slot":0}],"slots":["reserved"],"span":[2758,2813],"code":[{"Load":0},{"GetField":33},{"CallActivity":10},"Return","Null","Return"],"spans":[2794,2802,2803,2806,2782,2807,2775,2807,2813,2813,2813,2813]},{"name":"branch","kind":"branch","file":2,"params":[],"captures":[{"name":"input","slot":0}],"slots":["input"],"span":[441,464],"code":[{"Load":0},{"GetField":9},{"CallActivity":14},"Return"],"spans":[455,460,461,463,441,464,441,464]},{"name":"branch","kind":"branch","file":2,"params":[],"captures":[{"name":"input","slot":0}],"slots":["input"],"span":[479,500],"code":[{"Load":0},{"GetField":9},{"CallActivity":15},"Return"],"spans":[491,496,497,499,479,500,479,500]},{"name":"branch","kind":"branch","file":2,"params":[],"captures":[{"name":"input","slot":0}],"slots":["input"],"span":[515,536],"code":[{"Load":0},{"GetField":9},{"CallActivity":16},"Return"],"spans":[527,532,533,535,515,536,515,536]}],"consts":[{"Int":0},{"Str":"items"},{"Duration":3153600000000},{"Str":"points"},{"Str":"item"},{"Str":"total"},{"Str":"seen"},{"Str":"kind"},{"Str":"callback"},{"Str":"id"},{"Duration":3153600000000},{"Str":"ok"},{"Str":"confirmed"},{"Str":"sleep"},{"Str":"pause"},{"Str":"slept"},{"Str":"slow"},{"Str":"work"},{"Str":"results"},{"Str":"summary"},{"Int":3},{"Str":"prepared"},{"Str":"flaky"},{"Str":"pauses"},{"Str":"done"},{"Str":"polls"},{"Str":"side"},{"Int":0},{"Int":2},{"Duration":1000},{"Int":1},{"Str":"child"},{"Str":"n"},{"Str":"ref"},{"Duration":3153600000000},{"Str":"compensated"},{"Str":"status"},{"Str":"undone"},{"Str":"kept"},{"Str":"fetched"},{"Duration":3153600000000},{"Str":"approved"},{"Str":"allSuccess"},{"Str":"errors"},{"Str":"key"},{"Int":1},{"Str":"state"},{"Duration":3153600000000},{"Str":"first"},{"Str":"second"},{"Str":"version"},{"Int":1},{"Int":0},{"Int":1},{"Int":0}],"calls":[{"activity":"LoopApprove","positional":1,"timeout":true,"awaited":true},{"activity":"FanoutConfirm","positional":1,"timeout":true,"awaited":true},{"activity":"FanoutSlow","positional":1},{"activity":"FanoutWork","positional":1},{"activity":"FanoutSummarize","positional":1},{"activity":"RetryPrepare","positional":1},{"activity":"RetryFlaky","positional":1,"retry":true,"retryBackoff":true,"retryMax":true},{"activity":"PollStatus","positional":1},{"activity":"SideWork","positional":1},{"activity":"SagaReserve","positional":1},{"activity":"SagaRelease","positional":1},{"activity":"SagaDecide","positional":1,"timeout":true,"awaited":true},{"activity":"RepairFetch","positional":1},{"activity":"ChildSignoff","positional":1,"timeout":true,"awaited":true},{"activity":"ForkInventory","positional":1,"catch":true},{"activity":"ForkPayment","positional":1,"catch":true},{"activity":"ForkAddress","positional":1,"catch":true},{"activity":"machine:GoldenTally.Add","positional":2},{"activity":"TallyApprove","positional":1,"timeout":true,"awaited":true},{"activity":"machine:GoldenTally.Add","positional":2}],"machines":[{"name":"GoldenTally","state":{"kind":"object","fields":[{"name":"total","ty":{"kind":"number"},"optional":false}],"open":false},"commands":[{"name":"Add","input":{"kind":"object","fields":[{"name":"n","ty":{"kind":"number"},"optional":false}],"open":false},"handler":0}]}]}');


--
-- Data for Name: events; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.events VALUES (1, 'machine:GoldenTally/control/1', 'created', 'GoldenTally', '{"key":"control","version":1,"command":"Add","commandId":"01M97CCCZE1KHJRM9ZM2G6BBSX-1","state":{"total":1}}', 'machine', 1796617941998, '[]');
INSERT INTO weft_golden_src.events VALUES (2, 'machine:GoldenTally/control/2', 'updated', 'GoldenTally', '{"key":"control","version":2,"command":"Add","commandId":"01M97CCCZE1KHJRM9ZM2G6BBSX-3","state":{"total":42}}', 'machine', 1796617942162, '[]');
INSERT INTO weft_golden_src.events VALUES (3, 'machine:GoldenTally/golden/1', 'created', 'GoldenTally', '{"key":"golden","version":1,"command":"Add","commandId":"01M97CCEN4FMVVY6C16YSECEX6-1","state":{"total":1}}', 'machine', 1796617943716, '[]');


--
-- Data for Name: idempotency_keys; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: inbox; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: journal; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.journal VALUES ('01M97CBNJCKVQXCFXQM6JTAEFY', 1, '[{"at":1796617918028,"type":"started","input":{"items":["a","b","c"]}},{"at":1796617918028,"type":"callStarted","callId":"01M97CBNJCKVQXCFXQM6JTAEFY-1","activity":"LoopApprove","args":["a"],"attempt":1,"awaited":true,"line":13}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CBNJCKVQXCFXQM6JTAEFY', 2, '[{"at":1796617918244,"type":"callCompleted","callId":"01M97CBNJCKVQXCFXQM6JTAEFY-1","activity":"LoopApprove","attempt":1,"value":{"points":1},"durationMs":216,"how":"callback"},{"at":1796617918244,"type":"callStarted","callId":"01M97CBNJCKVQXCFXQM6JTAEFY-2","activity":"LoopApprove","args":["b"],"attempt":1,"awaited":true,"line":13}]', '{"event":{"type":"callback","call":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CBNJCKVQXCFXQM6JTAEFY', 3, '[{"at":1796617918857,"type":"callCompleted","callId":"01M97CBNJCKVQXCFXQM6JTAEFY-2","activity":"LoopApprove","attempt":1,"value":{"points":10},"durationMs":613,"how":"callback"},{"at":1796617918857,"type":"callStarted","callId":"01M97CBNJCKVQXCFXQM6JTAEFY-3","activity":"LoopApprove","args":["c"],"attempt":1,"awaited":true,"line":13}]', '{"event":{"type":"callback","call":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CBNJCKVQXCFXQM6JTAEFY', 4, '[{"at":1796617918978,"type":"callCompleted","callId":"01M97CBNJCKVQXCFXQM6JTAEFY-3","activity":"LoopApprove","attempt":1,"value":{"points":100},"durationMs":121,"how":"callback"},{"at":1796617918978,"type":"completed","result":{"total":111,"seen":[{"item":"a","points":1},{"item":"b","points":10},{"item":"c","points":100}]}}]', '{"event":{"type":"callback","call":3,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CBPKQDDFFZT3YW19JN96C', 1, '[{"at":1796617919095,"type":"started","input":{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"5s"}},{"at":1796617919095,"type":"callStarted","callId":"01M97CBPKQDDFFZT3YW19JN96C-1","activity":"FanoutWork","args":[1],"attempt":1,"awaited":false,"line":36},{"at":1796617919095,"type":"callStarted","callId":"01M97CBPKQDDFFZT3YW19JN96C-2","activity":"FanoutConfirm","args":[2],"attempt":1,"awaited":true,"line":25},{"at":1796617919095,"type":"timerStarted","until":1796617924095},{"at":1796617919095,"type":"callStarted","callId":"01M97CBPKQDDFFZT3YW19JN96C-3","activity":"FanoutSlow","args":[4],"attempt":1,"awaited":false,"line":33}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CBPKQDDFFZT3YW19JN96C', 2, '[{"at":1796617919154,"type":"callCompleted","callId":"01M97CBPKQDDFFZT3YW19JN96C-1","activity":"FanoutWork","attempt":1,"value":"w1","durationMs":59,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CBPKQDDFFZT3YW19JN96C', 3, '[{"at":1796617924162,"type":"timerFired","key":"sleep:3"}]', '{"event":{"type":"timerFired","key":"sleep:3"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CBPKQDDFFZT3YW19JN96C', 4, '[{"at":1796617924407,"type":"callCompleted","callId":"01M97CBPKQDDFFZT3YW19JN96C-3","activity":"FanoutSlow","attempt":1,"value":"s4","durationMs":5312,"how":"returned"}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CBPKQDDFFZT3YW19JN96C', 5, '[{"at":1796617924456,"type":"callCompleted","callId":"01M97CBPKQDDFFZT3YW19JN96C-2","activity":"FanoutConfirm","attempt":1,"value":{"ok":true},"durationMs":5361,"how":"callback"},{"at":1796617924456,"type":"callStarted","callId":"01M97CBPKQDDFFZT3YW19JN96C-4","activity":"FanoutSummarize","args":[4],"attempt":1,"awaited":false,"line":39}]', '{"event":{"type":"callback","call":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CBPKQDDFFZT3YW19JN96C', 6, '[{"at":1796617924687,"type":"callCompleted","callId":"01M97CBPKQDDFFZT3YW19JN96C-4","activity":"FanoutSummarize","attempt":1,"value":{"count":4},"durationMs":231,"how":"returned"},{"at":1796617924687,"type":"completed","result":{"results":[{"id":1,"work":"w1"},{"id":2,"confirmed":true},{"id":3,"slept":true},{"id":4,"slow":"s4"}],"summary":{"count":4}}}]', '{"event":{"type":"callCompleted","call":4,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CBWAC2MRDFKHA4XSJE4BZ', 1, '[{"at":1796617924940,"type":"started","input":{"id":7,"pause":"5s"}},{"at":1796617924940,"type":"callStarted","callId":"01M97CBWAC2MRDFKHA4XSJE4BZ-1","activity":"RetryPrepare","args":[7],"attempt":1,"awaited":false,"line":45}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CBWAC2MRDFKHA4XSJE4BZ', 2, '[{"at":1796617925170,"type":"callCompleted","callId":"01M97CBWAC2MRDFKHA4XSJE4BZ-1","activity":"RetryPrepare","attempt":1,"value":{"prepared":7},"durationMs":230,"how":"returned"},{"at":1796617925170,"type":"callStarted","callId":"01M97CBWAC2MRDFKHA4XSJE4BZ-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":1,"awaited":false,"line":46}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CBWAC2MRDFKHA4XSJE4BZ', 3, '[{"at":1796617925288,"type":"callFailed","callId":"01M97CBWAC2MRDFKHA4XSJE4BZ-2","activity":"RetryFlaky","attempt":1,"error":"connection reset","retryAt":1796617928845}]', '{"event":{"type":"callFailed","call":2,"attempt":1,"error":"connection reset","retryable":true},"jitter":[0.42301348006873174]}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CBWAC2MRDFKHA4XSJE4BZ', 4, '[{"at":1796617929008,"type":"timerFired","key":"backoff:2"},{"at":1796617929008,"type":"callStarted","callId":"01M97CBWAC2MRDFKHA4XSJE4BZ-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":2,"awaited":false,"line":46}]', '{"event":{"type":"timerFired","key":"backoff:2"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CBWAC2MRDFKHA4XSJE4BZ', 5, '[{"at":1796617929138,"type":"callCompleted","callId":"01M97CBWAC2MRDFKHA4XSJE4BZ-2","activity":"RetryFlaky","attempt":2,"value":"flaky-ok","durationMs":3968,"how":"returned"},{"at":1796617929138,"type":"completed","result":{"prepared":{"prepared":7},"flaky":"flaky-ok"}}]', '{"event":{"type":"callCompleted","call":2,"attempt":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CC0GENFYFZXF27PKJSWSA', 1, '[{"at":1796617929230,"type":"started","input":{"pauses":["5s","1s","1s"]}},{"at":1796617929230,"type":"callStarted","callId":"01M97CC0GENFYFZXF27PKJSWSA-1","activity":"PollStatus","args":[0],"attempt":1,"awaited":false,"line":54}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CC0GENFYFZXF27PKJSWSA', 2, '[{"at":1796617929313,"type":"callCompleted","callId":"01M97CC0GENFYFZXF27PKJSWSA-1","activity":"PollStatus","attempt":1,"value":"pending","durationMs":83,"how":"returned"},{"at":1796617929313,"type":"timerStarted","until":1796617934313}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CC0GENFYFZXF27PKJSWSA', 3, '[{"at":1796617934426,"type":"timerFired","key":"sleep:0"},{"at":1796617934426,"type":"callStarted","callId":"01M97CC0GENFYFZXF27PKJSWSA-2","activity":"PollStatus","args":[1],"attempt":1,"awaited":false,"line":54}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CC0GENFYFZXF27PKJSWSA', 4, '[{"at":1796617934873,"type":"callCompleted","callId":"01M97CC0GENFYFZXF27PKJSWSA-2","activity":"PollStatus","attempt":1,"value":"pending","durationMs":447,"how":"returned"},{"at":1796617934873,"type":"timerStarted","until":1796617935873}]', '{"event":{"type":"callCompleted","call":2,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CC0GENFYFZXF27PKJSWSA', 5, '[{"at":1796617935980,"type":"timerFired","key":"sleep:0"},{"at":1796617935980,"type":"callStarted","callId":"01M97CC0GENFYFZXF27PKJSWSA-3","activity":"PollStatus","args":[2],"attempt":1,"awaited":false,"line":54}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CC0GENFYFZXF27PKJSWSA', 6, '[{"at":1796617936142,"type":"callCompleted","callId":"01M97CC0GENFYFZXF27PKJSWSA-3","activity":"PollStatus","attempt":1,"value":"done","durationMs":162,"how":"returned"},{"at":1796617936142,"type":"completed","result":{"polls":["pending","pending","done"]}}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CC79ZF8ZNT3WY3239D4ZR', 1, '[{"at":1796617936191,"type":"started","input":{"input":{"id":9}}},{"at":1796617936191,"type":"callStarted","callId":"01M97CC79ZF8ZNT3WY3239D4ZR-1","activity":"SideWork","args":[9],"attempt":1,"awaited":false,"line":68}]', '{"child":{"func":13,"args":[{"id":9}],"captures":[],"input":{"input":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CC79ZH3GRAJ2GQE0W6QNR', 1, '[{"at":1796617936191,"type":"started","input":{"id":9}},{"at":1796617936191,"type":"childStarted","runId":"01M97CC79ZF8ZNT3WY3239D4ZR","flow":"SideJob"},{"at":1796617936191,"type":"childStarted","runId":"01M97CC79ZWV9PDQC4VJ9PQWFB","flow":"ChildApproval"}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CC79ZWV9PDQC4VJ9PQWFB', 1, '[{"at":1796617936191,"type":"started","input":{"req":{"id":9}}},{"at":1796617936191,"type":"callStarted","callId":"01M97CC79ZWV9PDQC4VJ9PQWFB-1","activity":"ChildSignoff","args":[9],"attempt":1,"awaited":true,"line":3}]', '{"child":{"func":8,"args":[{"id":9}],"captures":[],"input":{"req":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CC79ZF8ZNT3WY3239D4ZR', 2, '[{"at":1796617936378,"type":"callCompleted","callId":"01M97CC79ZF8ZNT3WY3239D4ZR-1","activity":"SideWork","attempt":1,"value":"side-ok","durationMs":187,"how":"returned"},{"at":1796617936378,"type":"completed","result":{"side":"side-ok"}}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CC79ZH3GRAJ2GQE0W6QNR', 2, '[{"at":1796617936378,"type":"childFinished","runId":"01M97CC79ZF8ZNT3WY3239D4ZR","result":{"side":"side-ok"}}]', '{"event":{"type":"childFinished","child":0,"run_id":"01M97CC79ZF8ZNT3WY3239D4ZR","result":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCBKTTM8MW039EH7E4W17', 2, '[{"at":1796617940815,"type":"callFailed","callId":"01M97CCBKTTM8MW039EH7E4W17-1","activity":"RepairFetch","attempt":1,"error":"not found","retryAt":null},{"at":1796617940815,"type":"failed","error":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}]', '{"event":{"type":"callFailed","call":1,"attempt":1,"error":"not found","retryable":false},"jitter":[0.39999472013892423]}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCCJ28J1DEDY9A7A91S3H', 3, '[{"at":1796617941839,"type":"callCompleted","callId":"01M97CCCJ28J1DEDY9A7A91S3H-3","activity":"ForkAddress","attempt":1,"value":{"verified":true},"durationMs":269,"how":"returned"}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCD8V9EWX2CQQJZMGHG6Q', 1, '[{"at":1796617942299,"type":"started","input":{"items":["a","b","c"]}},{"at":1796617942299,"type":"callStarted","callId":"01M97CCD8V9EWX2CQQJZMGHG6Q-1","activity":"LoopApprove","args":["a"],"attempt":1,"awaited":true,"line":13}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCDDERVV0C8KGAMFBDCM5', 1, '[{"at":1796617942446,"type":"started","input":{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"2m"}},{"at":1796617942446,"type":"callStarted","callId":"01M97CCDDERVV0C8KGAMFBDCM5-1","activity":"FanoutWork","args":[1],"attempt":1,"awaited":false,"line":36},{"at":1796617942446,"type":"callStarted","callId":"01M97CCDDERVV0C8KGAMFBDCM5-2","activity":"FanoutConfirm","args":[2],"attempt":1,"awaited":true,"line":25},{"at":1796617942446,"type":"timerStarted","until":1796618062446},{"at":1796617942446,"type":"callStarted","callId":"01M97CCDDERVV0C8KGAMFBDCM5-3","activity":"FanoutSlow","args":[4],"attempt":1,"awaited":false,"line":33}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCDDERVV0C8KGAMFBDCM5', 2, '[{"at":1796617942532,"type":"callCompleted","callId":"01M97CCDDERVV0C8KGAMFBDCM5-1","activity":"FanoutWork","attempt":1,"value":"w1","durationMs":86,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCDHPCWGQ0368YSYDYPQN', 1, '[{"at":1796617942582,"type":"started","input":{"id":7,"pause":"2m"}},{"at":1796617942582,"type":"callStarted","callId":"01M97CCDHPCWGQ0368YSYDYPQN-1","activity":"RetryPrepare","args":[7],"attempt":1,"awaited":false,"line":45}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCDHPCWGQ0368YSYDYPQN', 2, '[{"at":1796617942654,"type":"callCompleted","callId":"01M97CCDHPCWGQ0368YSYDYPQN-1","activity":"RetryPrepare","attempt":1,"value":{"prepared":7},"durationMs":72,"how":"returned"},{"at":1796617942654,"type":"callStarted","callId":"01M97CCDHPCWGQ0368YSYDYPQN-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":1,"awaited":false,"line":46}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCDSZ1WKNN8B2YXK0Y7WJ', 1, '[{"at":1796617942847,"type":"started","input":{"pauses":["2m","1s","1s"]}},{"at":1796617942847,"type":"callStarted","callId":"01M97CCDSZ1WKNN8B2YXK0Y7WJ-1","activity":"PollStatus","args":[0],"attempt":1,"awaited":false,"line":54}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCE6AKZNBMVYM3M0QVVXA', 2, '[{"at":1796617943359,"type":"callCompleted","callId":"01M97CCE6AKZNBMVYM3M0QVVXA-1","activity":"SagaReserve","attempt":1,"value":{"ref":"r5"},"durationMs":117,"how":"returned"},{"at":1796617943359,"type":"callStarted","callId":"01M97CCE6AKZNBMVYM3M0QVVXA-2","activity":"SagaDecide","args":["r5"],"attempt":1,"awaited":true,"line":88}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCEGPAW66JXG9W0PYJWFP', 1, '[{"at":1796617943574,"type":"started","input":{"id":5}},{"at":1796617943574,"type":"callStarted","callId":"01M97CCEGPAW66JXG9W0PYJWFP-1","activity":"ForkInventory","args":[5],"attempt":1,"awaited":false,"line":9},{"at":1796617943574,"type":"callStarted","callId":"01M97CCEGPAW66JXG9W0PYJWFP-2","activity":"ForkPayment","args":[5],"attempt":1,"awaited":false,"line":10},{"at":1796617943574,"type":"callStarted","callId":"01M97CCEGPAW66JXG9W0PYJWFP-3","activity":"ForkAddress","args":[5],"attempt":1,"awaited":false,"line":11}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCEGPAW66JXG9W0PYJWFP', 2, '[{"at":1796617943657,"type":"callCompleted","callId":"01M97CCEGPAW66JXG9W0PYJWFP-1","activity":"ForkInventory","attempt":1,"value":{"reserved":5},"durationMs":83,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCEN42N973HY8K8VT1QG4', 1, '[{"at":1796617943716,"type":"started","input":{"machine":"GoldenTally","key":"golden","seq":1,"command":"Add","commandId":"01M97CCEN4FMVVY6C16YSECEX6-1","state":{},"input":{"n":1}}},{"at":1796617943716,"type":"completed","result":{"ok":true,"state":{"total":1}}}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CC79ZH3GRAJ2GQE0W6QNR', 3, '[{"at":1796617937228,"type":"childFinished","runId":"01M97CC79ZWV9PDQC4VJ9PQWFB","result":{"approved":true,"id":9}},{"at":1796617937228,"type":"timerStarted","until":1796617938228}]', '{"event":{"type":"childFinished","child":0,"run_id":"01M97CC79ZWV9PDQC4VJ9PQWFB","result":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CC79ZWV9PDQC4VJ9PQWFB', 2, '[{"at":1796617937228,"type":"callCompleted","callId":"01M97CC79ZWV9PDQC4VJ9PQWFB-1","activity":"ChildSignoff","attempt":1,"value":{"approved":true},"durationMs":1037,"how":"callback"},{"at":1796617937228,"type":"completed","result":{"approved":true,"id":9}}]', '{"event":{"type":"callback","call":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CC79ZH3GRAJ2GQE0W6QNR', 4, '[{"at":1796617938402,"type":"timerFired","key":"sleep:0"},{"at":1796617938402,"type":"timerStarted","until":1796617939402}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CC79ZH3GRAJ2GQE0W6QNR', 5, '[{"at":1796617939454,"type":"timerFired","key":"sleep:0"},{"at":1796617939454,"type":"completed","result":{"child":{"approved":true,"id":9},"side":{"side":"side-ok"},"n":2}}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCBKTTM8MW039EH7E4W17', 1, '[{"at":1796617940602,"type":"started","input":{"id":3}},{"at":1796617940602,"type":"callStarted","callId":"01M97CCBKTTM8MW039EH7E4W17-1","activity":"RepairFetch","args":[3],"attempt":1,"awaited":false,"line":98}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCBKTTM8MW039EH7E4W17', 3, '[{"at":1796617941058,"type":"retried"},{"at":1796617941058,"type":"callStarted","callId":"01M97CCBKTTM8MW039EH7E4W17-1","activity":"RepairFetch","args":[3],"attempt":2,"awaited":false,"line":98}]', '{"event":{"type":"retry"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCBKTTM8MW039EH7E4W17', 4, '[{"at":1796617941452,"type":"callCompleted","callId":"01M97CCBKTTM8MW039EH7E4W17-1","activity":"RepairFetch","attempt":2,"value":"fetched","durationMs":850,"how":"returned"},{"at":1796617941452,"type":"completed","result":{"fetched":"fetched"}}]', '{"event":{"type":"callCompleted","call":1,"attempt":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCCJ28J1DEDY9A7A91S3H', 1, '[{"at":1796617941570,"type":"started","input":{"id":5}},{"at":1796617941570,"type":"callStarted","callId":"01M97CCCJ28J1DEDY9A7A91S3H-1","activity":"ForkInventory","args":[5],"attempt":1,"awaited":false,"line":9},{"at":1796617941570,"type":"callStarted","callId":"01M97CCCJ28J1DEDY9A7A91S3H-2","activity":"ForkPayment","args":[5],"attempt":1,"awaited":false,"line":10},{"at":1796617941570,"type":"callStarted","callId":"01M97CCCJ28J1DEDY9A7A91S3H-3","activity":"ForkAddress","args":[5],"attempt":1,"awaited":false,"line":11}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCCJ28J1DEDY9A7A91S3H', 2, '[{"at":1796617941734,"type":"callCompleted","callId":"01M97CCCJ28J1DEDY9A7A91S3H-1","activity":"ForkInventory","attempt":1,"value":{"reserved":5},"durationMs":164,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCDSZ1WKNN8B2YXK0Y7WJ', 2, '[{"at":1796617942948,"type":"callCompleted","callId":"01M97CCDSZ1WKNN8B2YXK0Y7WJ-1","activity":"PollStatus","attempt":1,"value":"pending","durationMs":101,"how":"returned"},{"at":1796617942948,"type":"timerStarted","until":1796618062948}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCDZ2790SS3A8SZS1WC42', 1, '[{"at":1796617943010,"type":"started","input":{"input":{"id":9}}},{"at":1796617943010,"type":"callStarted","callId":"01M97CCDZ2790SS3A8SZS1WC42-1","activity":"SideWork","args":[9],"attempt":1,"awaited":false,"line":68}]', '{"child":{"func":13,"args":[{"id":9}],"captures":[],"input":{"input":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCDZ2VY9XECEYE93GQSXD', 1, '[{"at":1796617943010,"type":"started","input":{"req":{"id":9}}},{"at":1796617943010,"type":"callStarted","callId":"01M97CCDZ2VY9XECEYE93GQSXD-1","activity":"ChildSignoff","args":[9],"attempt":1,"awaited":true,"line":3}]', '{"child":{"func":8,"args":[{"id":9}],"captures":[],"input":{"req":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCDZ2X3RWV28MFD2SPDTN', 1, '[{"at":1796617943010,"type":"started","input":{"id":9}},{"at":1796617943010,"type":"childStarted","runId":"01M97CCDZ2790SS3A8SZS1WC42","flow":"SideJob"},{"at":1796617943010,"type":"childStarted","runId":"01M97CCDZ2VY9XECEYE93GQSXD","flow":"ChildApproval"}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCAW77GE6FWQH9WV13G7P', 1, '[{"at":1796617939847,"type":"started","input":{"id":5}},{"at":1796617939847,"type":"callStarted","callId":"01M97CCAW77GE6FWQH9WV13G7P-1","activity":"SagaReserve","args":[5],"attempt":1,"awaited":false,"line":84}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCAW77GE6FWQH9WV13G7P', 2, '[{"at":1796617940208,"type":"callCompleted","callId":"01M97CCAW77GE6FWQH9WV13G7P-1","activity":"SagaReserve","attempt":1,"value":{"ref":"r5"},"durationMs":361,"how":"returned"},{"at":1796617940208,"type":"callStarted","callId":"01M97CCAW77GE6FWQH9WV13G7P-2","activity":"SagaDecide","args":["r5"],"attempt":1,"awaited":true,"line":88}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCAW77GE6FWQH9WV13G7P', 3, '[{"at":1796617940386,"type":"callCompleted","callId":"01M97CCAW77GE6FWQH9WV13G7P-2","activity":"SagaDecide","attempt":1,"value":{"ok":false},"durationMs":178,"how":"callback"},{"at":1796617940386,"type":"callStarted","callId":"01M97CCAW77GE6FWQH9WV13G7P-3","activity":"SagaRelease","args":["r5"],"attempt":1,"awaited":false,"line":86}]', '{"event":{"type":"callback","call":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCAW77GE6FWQH9WV13G7P', 4, '[{"at":1796617940434,"type":"callCompleted","callId":"01M97CCAW77GE6FWQH9WV13G7P-3","activity":"SagaRelease","attempt":1,"value":"released","durationMs":48,"how":"returned"},{"at":1796617940434,"type":"completed","result":{"status":"compensated","undone":["released"]}}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCCJ28J1DEDY9A7A91S3H', 4, '[{"at":1796617941936,"type":"callFailed","callId":"01M97CCCJ28J1DEDY9A7A91S3H-2","activity":"ForkPayment","attempt":1,"error":"card declined","retryAt":null},{"at":1796617941936,"type":"callCompleted","callId":"01M97CCCJ28J1DEDY9A7A91S3H-2","activity":"ForkPayment","attempt":1,"value":{"status":"error","error":{"message":"card declined","attempts":1}},"durationMs":366,"how":"caught"},{"at":1796617941936,"type":"completed","result":{"ok":false,"errors":1}}]', '{"event":{"type":"callFailed","call":2,"attempt":1,"error":"card declined","retryable":false},"jitter":[0.9321365113988442]}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCCZE1KHJRM9ZM2G6BBSX', 1, '[{"at":1796617941998,"type":"started","input":{"key":"control"}},{"at":1796617941998,"type":"callStarted","callId":"01M97CCCZE1KHJRM9ZM2G6BBSX-1","activity":"machine:GoldenTally.Add","args":["control",{"n":1}],"attempt":1,"awaited":false,"line":30},{"at":1796617941998,"type":"callCompleted","callId":"01M97CCCZE1KHJRM9ZM2G6BBSX-1","activity":"machine:GoldenTally.Add","attempt":1,"value":{"key":"control","state":{"total":1},"version":1},"durationMs":0,"how":"returned"},{"at":1796617941998,"type":"callStarted","callId":"01M97CCCZE1KHJRM9ZM2G6BBSX-2","activity":"TallyApprove","args":[1],"attempt":1,"awaited":true,"line":31}]', '{"steps":[{"entries":2,"cause":{}},{"entries":2,"cause":{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}}]}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCCZEV6GC1F7RMSTSBH48', 1, '[{"at":1796617941998,"type":"started","input":{"machine":"GoldenTally","key":"control","seq":1,"command":"Add","commandId":"01M97CCCZE1KHJRM9ZM2G6BBSX-1","state":{},"input":{"n":1}}},{"at":1796617941998,"type":"completed","result":{"ok":true,"state":{"total":1}}}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCD4JEKAH8Z6DXCT4AGJB', 1, '[{"at":1796617942162,"type":"started","input":{"machine":"GoldenTally","key":"control","seq":2,"command":"Add","commandId":"01M97CCCZE1KHJRM9ZM2G6BBSX-3","state":{"total":1},"input":{"n":41}}},{"at":1796617942162,"type":"completed","result":{"ok":true,"state":{"total":42}}}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCCZE1KHJRM9ZM2G6BBSX', 2, '[{"at":1796617942162,"type":"callCompleted","callId":"01M97CCCZE1KHJRM9ZM2G6BBSX-2","activity":"TallyApprove","attempt":1,"value":{"n":41},"durationMs":164,"how":"callback"},{"at":1796617942162,"type":"callStarted","callId":"01M97CCCZE1KHJRM9ZM2G6BBSX-3","activity":"machine:GoldenTally.Add","args":["control",{"n":41}],"attempt":1,"awaited":false,"line":32},{"at":1796617942162,"type":"callCompleted","callId":"01M97CCCZE1KHJRM9ZM2G6BBSX-3","activity":"machine:GoldenTally.Add","attempt":1,"value":{"key":"control","state":{"total":42},"version":2},"durationMs":0,"how":"returned"},{"at":1796617942162,"type":"completed","result":{"first":1,"second":42,"version":2}}]', '{"steps":[{"entries":2,"cause":{"event":{"type":"callback","call":2,"value":null},"valueIn":0}},{"entries":2,"cause":{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}}]}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCD8V9EWX2CQQJZMGHG6Q', 2, '[{"at":1796617942379,"type":"callCompleted","callId":"01M97CCD8V9EWX2CQQJZMGHG6Q-1","activity":"LoopApprove","attempt":1,"value":{"points":1},"durationMs":80,"how":"callback"},{"at":1796617942379,"type":"callStarted","callId":"01M97CCD8V9EWX2CQQJZMGHG6Q-2","activity":"LoopApprove","args":["b"],"attempt":1,"awaited":true,"line":13}]', '{"event":{"type":"callback","call":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCDHPCWGQ0368YSYDYPQN', 3, '[{"at":1796617942773,"type":"callFailed","callId":"01M97CCDHPCWGQ0368YSYDYPQN-2","activity":"RetryFlaky","attempt":1,"error":"connection reset","retryAt":1796618060515}]', '{"event":{"type":"callFailed","call":2,"attempt":1,"error":"connection reset","retryable":true},"jitter":[0.9623771648124364]}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCE6AKZNBMVYM3M0QVVXA', 1, '[{"at":1796617943242,"type":"started","input":{"id":5}},{"at":1796617943242,"type":"callStarted","callId":"01M97CCE6AKZNBMVYM3M0QVVXA-1","activity":"SagaReserve","args":[5],"attempt":1,"awaited":false,"line":84}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCECAHA9NVMQBFJBFHK9X', 1, '[{"at":1796617943434,"type":"started","input":{"id":3}},{"at":1796617943434,"type":"callStarted","callId":"01M97CCECAHA9NVMQBFJBFHK9X-1","activity":"RepairFetch","args":[3],"attempt":1,"awaited":false,"line":98}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCECAHA9NVMQBFJBFHK9X', 2, '[{"at":1796617943507,"type":"callFailed","callId":"01M97CCECAHA9NVMQBFJBFHK9X-1","activity":"RepairFetch","attempt":1,"error":"not found","retryAt":null},{"at":1796617943507,"type":"failed","error":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}]', '{"event":{"type":"callFailed","call":1,"attempt":1,"error":"not found","retryable":false},"jitter":[0.8269784140625963]}');
INSERT INTO weft_golden_src.journal VALUES ('01M97CCEN4FMVVY6C16YSECEX6', 1, '[{"at":1796617943716,"type":"started","input":{"key":"golden"}},{"at":1796617943716,"type":"callStarted","callId":"01M97CCEN4FMVVY6C16YSECEX6-1","activity":"machine:GoldenTally.Add","args":["golden",{"n":1}],"attempt":1,"awaited":false,"line":30},{"at":1796617943716,"type":"callCompleted","callId":"01M97CCEN4FMVVY6C16YSECEX6-1","activity":"machine:GoldenTally.Add","attempt":1,"value":{"key":"golden","state":{"total":1},"version":1},"durationMs":0,"how":"returned"},{"at":1796617943716,"type":"callStarted","callId":"01M97CCEN4FMVVY6C16YSECEX6-2","activity":"TallyApprove","args":[1],"attempt":1,"awaited":true,"line":31}]', '{"steps":[{"entries":2,"cause":{}},{"entries":2,"cause":{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}}]}');


--
-- Data for Name: machine_commands; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.machine_commands VALUES ('GoldenTally', 'control', 1, '01M97CCCZE1KHJRM9ZM2G6BBSX-1', 'applied', '{"machine":"GoldenTally","key":"control","seq":1,"command":"Add","input":{"n":1},"commandId":"01M97CCCZE1KHJRM9ZM2G6BBSX-1","status":"applied","runId":"01M97CCCZEV6GC1F7RMSTSBH48","version":1,"state":{"total":1},"error":null,"replies":[{"run_id":"01M97CCCZE1KHJRM9ZM2G6BBSX","call":1,"attempt":1}],"createdAt":1796617941998,"finishedAt":1796617941998}');
INSERT INTO weft_golden_src.machine_commands VALUES ('GoldenTally', 'control', 2, '01M97CCCZE1KHJRM9ZM2G6BBSX-3', 'applied', '{"machine":"GoldenTally","key":"control","seq":2,"command":"Add","input":{"n":41},"commandId":"01M97CCCZE1KHJRM9ZM2G6BBSX-3","status":"applied","runId":"01M97CCD4JEKAH8Z6DXCT4AGJB","version":2,"state":{"total":42},"error":null,"replies":[{"run_id":"01M97CCCZE1KHJRM9ZM2G6BBSX","call":3,"attempt":1}],"createdAt":1796617942162,"finishedAt":1796617942162}');
INSERT INTO weft_golden_src.machine_commands VALUES ('GoldenTally', 'golden', 1, '01M97CCEN4FMVVY6C16YSECEX6-1', 'applied', '{"machine":"GoldenTally","key":"golden","seq":1,"command":"Add","input":{"n":1},"commandId":"01M97CCEN4FMVVY6C16YSECEX6-1","status":"applied","runId":"01M97CCEN42N973HY8K8VT1QG4","version":1,"state":{"total":1},"error":null,"replies":[{"run_id":"01M97CCEN4FMVVY6C16YSECEX6","call":1,"attempt":1}],"createdAt":1796617943716,"finishedAt":1796617943716}');


--
-- Data for Name: machine_events; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.machine_events VALUES (1, '{"type":"created","machine":"GoldenTally","key":"control","version":1,"command":"Add","commandId":"01M97CCCZE1KHJRM9ZM2G6BBSX-1","state":{"total":1},"at":1796617941998}');
INSERT INTO weft_golden_src.machine_events VALUES (2, '{"type":"updated","machine":"GoldenTally","key":"control","version":2,"command":"Add","commandId":"01M97CCCZE1KHJRM9ZM2G6BBSX-3","state":{"total":42},"at":1796617942162}');
INSERT INTO weft_golden_src.machine_events VALUES (3, '{"type":"created","machine":"GoldenTally","key":"golden","version":1,"command":"Add","commandId":"01M97CCEN4FMVVY6C16YSECEX6-1","state":{"total":1},"at":1796617943716}');


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

INSERT INTO weft_golden_src.machine_instances VALUES ('GoldenTally', 'control', '{"total":42}', 2, 3, 2, true, 1796617941998, 1796617942162, NULL, 1796617952162, 2);
INSERT INTO weft_golden_src.machine_instances VALUES ('GoldenTally', 'golden', '{"total":1}', 1, 2, 1, true, 1796617943716, 1796617943716, NULL, 1796617953716, 1);


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

INSERT INTO weft_golden_src.pollers VALUES ('FanoutSlow', 'golden', 'golden-maker-cdd6d922', 1796617924278);
INSERT INTO weft_golden_src.pollers VALUES ('FanoutSummarize', 'golden', 'golden-maker-cdd6d922', 1796617924597);
INSERT INTO weft_golden_src.pollers VALUES ('SideWork', 'golden', 'golden-maker-cdd6d922', 1796617936280);
INSERT INTO weft_golden_src.pollers VALUES ('SagaReserve', 'golden', 'golden-maker-cdd6d922', 1796617940027);
INSERT INTO weft_golden_src.pollers VALUES ('SagaRelease', 'golden', 'golden-maker-cdd6d922', 1796617940416);
INSERT INTO weft_golden_src.pollers VALUES ('RepairFetch', 'golden', 'golden-maker-cdd6d922', 1796617940716);
INSERT INTO weft_golden_src.pollers VALUES ('ForkInventory', 'golden', 'golden-maker-cdd6d922', 1796617941601);
INSERT INTO weft_golden_src.pollers VALUES ('ForkAddress', 'golden', 'golden-maker-cdd6d922', 1796617941790);
INSERT INTO weft_golden_src.pollers VALUES ('ForkPayment', 'golden', 'golden-maker-cdd6d922', 1796617941891);
INSERT INTO weft_golden_src.pollers VALUES ('FanoutWork', 'golden', 'golden-maker-cdd6d922', 1796617942484);
INSERT INTO weft_golden_src.pollers VALUES ('RetryPrepare', 'golden', 'golden-maker-cdd6d922', 1796617942614);
INSERT INTO weft_golden_src.pollers VALUES ('RetryFlaky', 'golden', 'golden-maker-cdd6d922', 1796617942715);
INSERT INTO weft_golden_src.pollers VALUES ('PollStatus', 'golden', 'golden-maker-cdd6d922', 1796617942871);


--
-- Data for Name: run_counts; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.run_counts VALUES (1, 'LoopAwait', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'Fanout', 'waiting', 0);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'Fanout', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'RetryPending', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'Poller', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'SideJob', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'ChildApproval', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'Parent', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'Saga', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'Repair', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'ForkJoin', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'TallyAround', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'LoopAwait', 'waiting', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'Fanout', 'running', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'RetryPending', 'running', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'Poller', 'running', 0);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'Poller', 'waiting', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'ChildApproval', 'waiting', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'Parent', 'waiting', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'SideJob', 'running', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'Saga', 'running', 0);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'Saga', 'waiting', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'Repair', 'failed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'Repair', 'running', 0);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'ForkJoin', 'running', 1);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'GoldenTally.Add', 'completed', 3);
INSERT INTO weft_golden_src.run_counts VALUES (1, 'TallyAround', 'waiting', 1);


--
-- Data for Name: run_forks; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: runs; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.runs VALUES ('01M97CBPKQDDFFZT3YW19JN96C', 'Fanout', 1, 'completed', '{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"5s"}', '{"results":[{"id":1,"work":"w1"},{"id":2,"confirmed":true},{"id":3,"slept":true},{"id":4,"slow":"s4"}],"summary":{"count":4}}', NULL, '[]', NULL, NULL, NULL, 1796617919095, 1796617924687, 6, '\x010b13804181da30314d39374342504b51444446465a5433595731394a4e39364382428340840b00850a008645870b008845890b008a0b008b408c0b008d418e0b008f0c40900b02c7726573756c74730a040b028141c4776f726bc277310b028142c9636f6e6669726d6564030b028143c5736c657074030b028144c4736c6f77c27334c773756d6d6172790b01c5636f756e744491046b9345', NULL, 1796617934456, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M97CBNJCKVQXCFXQM6JTAEFY', 'LoopAwait', 1, 'completed', '{"items":["a","b","c"]}', '{"total":111,"seen":[{"item":"a","points":1},{"item":"b","points":10},{"item":"c","points":100}]}', NULL, '[]', NULL, NULL, NULL, 1796617918028, 1796617918978, 4, '\x010b13804181da30314d393743424e4a434b565158434658514d364a544145465982418340840b00850a008641870b008844890b008a0b008b408c0b008d408e0b008f0c40900b02c5746f74616c046fc47365656e0a030b02c46974656dc161c6706f696e7473410b02c46974656dc162c6706f696e74734a0b02c46974656dc163c6706f696e747304649104479343', NULL, 1796617928978, 4);
INSERT INTO weft_golden_src.runs VALUES ('01M97CBWAC2MRDFKHA4XSJE4BZ', 'RetryPending', 1, 'completed', '{"id":7,"pause":"5s"}', '{"prepared":{"prepared":7},"flaky":"flaky-ok"}', NULL, '[]', NULL, NULL, NULL, 1796617924940, 1796617929138, 5, '\x010b13804181da30314d39374342574143324d5244464b48413458534a4534425a82438340840b00850a008641870b008843890b008a0b008b408c0b008d408e0b008f0c40900b02c870726570617265640b01080147c5666c616b79c8666c616b792d6f6b91529344', NULL, 1796617939008, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97CC0GENFYFZXF27PKJSWSA', 'Poller', 1, 'completed', '{"pauses":["5s","1s","1s"]}', '{"polls":["pending","pending","done"]}', NULL, '[]', NULL, NULL, NULL, 1796617929230, 1796617936142, 6, '\x010b13804181da30314d393743433047454e4659465a58463237504b4a5357534182448340840b00850a008641870b008844890b008a0b008b408c0b008d408e0b008f0c40900b01c5706f6c6c730a03c770656e64696e67c770656e64696e67c4646f6e65917b9345', NULL, 1796617945980, 3);
INSERT INTO weft_golden_src.runs VALUES ('01M97CC79ZF8ZNT3WY3239D4ZR', 'SideJob', 1, 'completed', '{"input":{"id":9}}', '{"side":"side-ok"}', NULL, '[]', '01M97CC79ZH3GRAJ2GQE0W6QNR', NULL, NULL, 1796617936191, 1796617936378, 2, '\x010b13804181da30314d3937434337395a46385a4e543357593332333944345a52824d8341840b00850a008641870b008842890b008a0b008b408c0b008d408e0b008f0c40900b01c473696465c7736964652d6f6b91489341', NULL, 1796617946191, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97CC79ZH3GRAJ2GQE0W6QNR', 'Parent', 1, 'completed', '{"id":9}', '{"child":{"approved":true,"id":9},"side":{"side":"side-ok"},"n":2}', NULL, '[]', NULL, NULL, NULL, 1796617936191, 1796617939454, 5, '\x010b13804181da30314d3937434337395a48334752414a32475145305736514e5282458340840b00850a008641870b008841890b008a0b01c1300b050c4209000a1046385a4e543357593332333944345a520c43c7536964654a6f620c440b020c440c40be0b01c473696465c7736964652d6f6b0c450b04824da50a010b0181490c460a000c470b010c470b018149ba028b428c0b008d408e0b008f0c40900b039f0b02c8617070726f766564038149c4736964650b01c473696465c7736964652d6f6bc16e42916f9344', NULL, 1796617949454, 5);
INSERT INTO weft_golden_src.runs VALUES ('01M97CC79ZWV9PDQC4VJ9PQWFB', 'ChildApproval', 1, 'completed', '{"req":{"id":9}}', '{"approved":true,"id":9}', NULL, '[]', '01M97CC79ZH3GRAJ2GQE0W6QNR', NULL, NULL, 1796617936191, 1796617937228, 2, '\x010b13804181da30314d3937434337395a5756395044514334564a39505157464282488341840b00850a008641870b008842890b008a0b008b408c0b008d408e0b008f0c40900b02c8617070726f766564038149914d9341', NULL, 1796617947379, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCAW77GE6FWQH9WV13G7P', 'Saga', 1, 'completed', '{"id":5}', '{"status":"compensated","undone":["released"]}', NULL, '[]', NULL, NULL, NULL, 1796617939847, 1796617940434, 4, '\x010b13804181da30314d393743434157373747453646575148395756313347375082468340840b00850a008641870b008844890b008a0b008b408c0b008d408e0b008f0c40900b028fcb636f6d70656e7361746564c6756e646f6e650a01c872656c6561736564917d9343', NULL, 1796617950386, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCBKTTM8MW039EH7E4W17', 'Repair', 1, 'completed', '{"id":3}', '{"fetched":"fetched"}', NULL, '[]', NULL, NULL, NULL, 1796617940602, 1796617941452, 4, '\x010b13804181da30314d39374343424b54544d384d57303339454837453457313782478340840b00850a008641870b008842890b008a0b008b408c0b008d408e0b008f0c40900b01c766657463686564c76665746368656491489341', NULL, 1796617951058, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCCJ28J1DEDY9A7A91S3H', 'ForkJoin', 1, 'completed', '{"id":5}', '{"ok":false,"errors":1}', NULL, '[]', NULL, NULL, NULL, 1796617941570, 1796617941936, 4, '\x010b13804181da30314d39374343434a32384a314445445939413741393153334882498340840b00850a008644870b008844890b008a0b008b408c0b008d448e0b008f0c40900b02c26f6b02c66572726f727341916c9343', NULL, 1796617951570, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCCZEV6GC1F7RMSTSBH48', 'GoldenTally.Add', 1, 'completed', '{"machine":"GoldenTally","key":"control","seq":1,"command":"Add","commandId":"01M97CCCZE1KHJRM9ZM2G6BBSX-1","state":{},"input":{"n":1}}', '{"ok":true,"state":{"total":1}}', NULL, '[]', NULL, NULL, NULL, 1796617941998, 1796617941998, 1, '\x010b13804181da30314d39374343435a4556364743314637524d5354534248343882408340840b00850a008641870b008841890b008a0b008b408c0b008d408e0b008f0c40900b02c26f6b030c440b01c5746f74616c4191589340', NULL, 1796617951998, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCCZE1KHJRM9ZM2G6BBSX', 'TallyAround', 1, 'completed', '{"key":"control"}', '{"first":1,"second":42,"version":2}', NULL, '[]', NULL, NULL, NULL, 1796617941998, 1796617942162, 2, '\x010b13804181da30314d39374343435a45314b484a524d395a4d32473642425358824a8340840b00850a008641870b008844890b008a0b008b408c0b008d408e0b008f0c40900b03c5666972737441c67365636f6e646ac776657273696f6e4291629343', NULL, 1796617952162, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCD4JEKAH8Z6DXCT4AGJB', 'GoldenTally.Add', 1, 'completed', '{"machine":"GoldenTally","key":"control","seq":2,"command":"Add","commandId":"01M97CCCZE1KHJRM9ZM2G6BBSX-3","state":{"total":1},"input":{"n":41}}', '{"ok":true,"state":{"total":42}}', NULL, '[]', NULL, NULL, NULL, 1796617942162, 1796617942162, 1, '\x010b13804181da30314d3937434344344a454b4148385a36445843543441474a4282408340840b00850a008641870b008841890b008a0b008b408c0b008d408e0b008f0c40900b02c26f6b030c440b01c5746f74616c6a91559340', NULL, 1796617952162, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCE6AKZNBMVYM3M0QVVXA', 'Saga', 1, 'waiting', '{"id":5}', NULL, NULL, '[{"kind":"activity","activity":"SagaDecide","callId":"01M97CCE6AKZNBMVYM3M0QVVXA-2","callback":true,"token":"af6dbc21d2f943c5ec5e148b13a6173e","until":4950217943359}]', NULL, NULL, 'golden.weft:88', 1796617943242, 1796617943359, 2, '\x010b13804181da30314d393743434536414b5a4e424d56594d334d30515656584182468340840b01c1300b04940a010b048246984f990a050b0181450a010b02c224634e800a010b01c3726566c272350b01c3726566c2723500009a40950a00960b019c429700850a008641870b01c1320b12a309001a022d32a4ca53616761446563696465a50a01c27235a640a741a840a940aa04e807ab04e0a712ac0480e0d489e45bad03ae02afe06166366462633231643266393433633565633565313438623133613631373365b0b5b104bff298f6a434b204bff298f6a434b300b40a02464e8843890b01c761776169743a320b02b404bfd2edff889001b90b02b9bbba428a0b008b408c0b008d408e0b008fbf9000914e9341', NULL, 1796617953242, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCD8V9EWX2CQQJZMGHG6Q', 'LoopAwait', 1, 'waiting', '{"items":["a","b","c"]}', NULL, NULL, '[{"kind":"activity","activity":"LoopApprove","callId":"01M97CCD8V9EWX2CQQJZMGHG6Q-2","callback":true,"token":"940d329e8ccaf9e04b3b9896b52f753f","until":4950217942379}]', NULL, NULL, 'golden.weft:13', 1796617942299, 1796617942379, 2, '\x010b13804181da30314d3937434344385639455758324351514a5a4d474847365182418340840b01c1300b04940a010b048241984b990a070b01c56974656d730a03c161c162c163410a010b02c46974656dc161c6706f696e747341c1620b01c6706f696e7473410a03c161c162c163429a40950a00960b019c429700850a008641870b01c1320b12a309001a022d32a4cb4c6f6f70417070726f7665a50a01c162a640a741a840a940aa04e807ab04e0a712ac0480e0d489e45bad03ae02afe03934306433323965386363616639653034623362393839366235326637353366b0b5b104ebea98f6a434b204ebea98f6a434b300b40a02414a8843890b01c761776169743a320b02b404ebcaedff889001b90b02b9bbba428a0b008b408c0b008d408e0b008fbf9000915e9341', NULL, 1796617952379, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCDDERVV0C8KGAMFBDCM5', 'Fanout', 1, 'running', '{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"2m"}', NULL, NULL, '[{"kind":"activity","activity":"FanoutConfirm","callId":"01M97CCDDERVV0C8KGAMFBDCM5-2","callback":true,"token":"5f0b653cdaeca806050eacd0790dd3c2","until":4950217942446},{"kind":"timer","until":1796618062446},{"kind":"activity","activity":"FanoutSlow","callId":"01M97CCDDERVV0C8KGAMFBDCM5-3","callback":false,"token":null,"until":null}]', NULL, NULL, 'golden.weft:25', 1796617942446, 1796617942532, 2, '\x010b13804181da30314d393743434444455256563043384b47414d464244434d3582428340840b04c1300b04940a010b0482429845990a030b02c56974656d730a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f77c57061757365c2326d00009a40950a00960b01a1409700c1320b04940a010b04824c9849990a050b028142b9b70000000b02c56974656d730a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f77c57061757365c2326d9a40950a00960b019c42970a024041c1330b04940a010b04824c985a990a050b028143b9bd0000000b02c56974656d730a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f77c57061757365c2326d9a40950a00960b019dc7736c6565703a33970a024042c1340b04940a010b04824c986a990a050b028144b9c4736c6f770000000b02c56974656d730a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f77c57061757365c2326d9a40950a00960b019c43970a024043850a008645870b02c1320b12a309001a022d32a4cd46616e6f7574436f6e6669726da50a0142a642a741a840a940aa04e807ab04e0a712ac0480e0d489e45bad03ae02afe03566306236353363646165636138303630353065616364303739306464336332b0b5b104aeeb98f6a434b204aeeb98f6a434b300b40a024c48c1330b12a309011b0133a4ca46616e6f7574536c6f77a50a0144a644a741a840a940aa04e807ab04e0a712ac00ad02ae02af00b0b5b104aeeb98f6a434b204aeeb98f6a434b300b40a024c698844890b02c761776169743a320b02b404aecbedff889001b90b02b9bbba42c7736c6565703a330b02b404ee94a0f6a434b90b03b9bda643be008a0b008b408c0b01c1300b040c48c745786563757465a6400c490a040b010c4c0b028141c4776f726bc277310b010c4b420b010c4b430b010c4b440c4a0a020a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f770b02c224634c800a010b02c56974656d730a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f77c57061757365c2326d8d418e0b008fb590009104479341', 'golden-maker-cdd6d922', 1796617952446, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCDHPCWGQ0368YSYDYPQN', 'RetryPending', 1, 'running', '{"id":7,"pause":"2m"}', NULL, NULL, '[{"kind":"activity","activity":"RetryFlaky","callId":"01M97CCDHPCWGQ0368YSYDYPQN-2","callback":false,"token":null,"until":null}]', NULL, NULL, 'golden.weft:46', 1796617942582, 1796617942773, 3, '\x010b13804181da30314d393743434448504357475130333638595359445950514e82438340840b01c1300b04940a010b048243984b990a030b028147c57061757365c2326d0b01c8707265706172656447009a40950a00960b019c429700850a008641870b01c1320b12a309001a022d32a4ca5265747279466c616b79a50a010b01080147a640a741a840a943aa04c0a907ab04c0a907ac00ad02ae02af00b0b6b104feec98f6a434b204feec98f6a434b3d0636f6e6e656374696f6e207265736574b40a02434a8843890b01c96261636b6f66663a320b02b404e385a0f6a434b90b02b9b6ba428a0b008b408c0b008d408e0b008fb59000914b9342', 'golden-maker-cdd6d922', 1796617952582, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCDSZ1WKNN8B2YXK0Y7WJ', 'Poller', 1, 'waiting', '{"pauses":["2m","1s","1s"]}', NULL, NULL, '[{"kind":"timer","until":1796618062948}]', NULL, NULL, 'golden.weft:59', 1796617942847, 1796617942948, 2, '\x010b13804181da30314d3937434344535a31574b4e4e38423259584b305937574a82448340840b01c1300b04940a010b0482449859990a060b01c67061757365730a03c2326dc23173c231730a01c770656e64696e6740c770656e64696e670a03404142419a40950a00960b019dc7736c6565703a309700850a008641870b008842890b01c7736c6565703a300b02b404e498a0f6a434b90b03b9bda640be008a0b008b408c0b008d408e0b008fbf900091579341', NULL, 1796617952847, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCEGPAW66JXG9W0PYJWFP', 'ForkJoin', 1, 'running', '{"id":5}', NULL, NULL, '[{"kind":"activity","activity":"ForkPayment","callId":"01M97CCEGPAW66JXG9W0PYJWFP-2","callback":false,"token":null,"until":null},{"kind":"activity","activity":"ForkAddress","callId":"01M97CCEGPAW66JXG9W0PYJWFP-3","callback":false,"token":null,"until":null}]', NULL, NULL, 'edition2.weft:10', 1796617943574, 1796617943657, 2, '\x010b13804181da30314d39374343454750415736364a584739573050594a57465082498340840b03c1300b04940a010b0482499854990a050b018145000000009a40950a00960b01a1439700c1320b04940a010b0482509843990a010b0181459a40950a00960b019c42970a024341c1330b04940a010b0482519843990a010b0181459a40950a00960b019c43970a024342850a008644870b02c1320b12a309001a022d32a4cb466f726b5061796d656e74a50a0145a642a741a840a940aa04e807ab04e0a712ac00ad02ae03af00b0b5b10496f498f6a434b20496f498f6a434b300b40a025042c1330b12a309011b0133a4cb466f726b41646472657373a50a0145a643a741a840a940aa04e807ab04e0a712ac00ad02ae03af00b0b5b10496f498f6a434b20496f498f6a434b300b40a0251428844890b008a0b008b408c0b01c1330b040c48c3416c6ca6400c490a030b010c4c0b01c87265736572766564450b010c4b420b010c4b430c4a0a010a030b01c22462400b01c22462410b01c22462428d448e0b008fb59000915e9341', 'golden-maker-cdd6d922', 1796617953574, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCEN42N973HY8K8VT1QG4', 'GoldenTally.Add', 1, 'completed', '{"machine":"GoldenTally","key":"golden","seq":1,"command":"Add","commandId":"01M97CCEN4FMVVY6C16YSECEX6-1","state":{},"input":{"n":1}}', '{"ok":true,"state":{"total":1}}', NULL, '[]', NULL, NULL, NULL, 1796617943716, 1796617943716, 1, '\x010b13804181da30314d39374343454e34324e3937334859384b3856543151473482408340840b00850a008641870b008841890b008a0b008b408c0b008d408e0b008f0c40900b02c26f6b030c440b01c5746f74616c4191589340', NULL, 1796617953716, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCEN4FMVVY6C16YSECEX6', 'TallyAround', 1, 'waiting', '{"key":"golden"}', NULL, NULL, '[{"kind":"activity","activity":"TallyApprove","callId":"01M97CCEN4FMVVY6C16YSECEX6-2","callback":true,"token":"58e92f199d9dcb229c0df44876a87c9a","until":4950217943716}]', NULL, NULL, 'edition2.weft:31', 1796617943716, 1796617943716, 1, '\x010b13804181da30314d39374343454e34464d5656593643313659534543455836824a8340840b01c1300b04940a010b04824a984c990a040b010c5bc6676f6c64656e0b030c5bc6676f6c64656e0c440b01c5746f74616c41c776657273696f6e4100009a40950a00960b019c429700850a008641870b01c1320b12a309001a022d32a4cc54616c6c79417070726f7665a50a0141a640a741a840a940aa04e807ab04e0a712ac0480e0d489e45bad03ae02afe03538653932663139396439646362323239633064663434383736613837633961b0b5b104a4f598f6a434b204a4f598f6a434b300b40a024a4b8843890b01c761776169743a320b02b404a4d5edff889001b90b02b9bbba428a0b008b408c0b008d408e0b008fbf9000914c9341', NULL, 1796617953716, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCDZ2790SS3A8SZS1WC42', 'SideJob', 1, 'running', '{"input":{"id":9}}', NULL, NULL, '[{"kind":"activity","activity":"SideWork","callId":"01M97CCDZ2790SS3A8SZS1WC42-1","callback":false,"token":null,"until":null}]', '01M97CCDZ2X3RWV28MFD2SPDTN', NULL, 'golden.weft:68', 1796617943010, 1796617943010, 1, '\x010b13804181da30314d39374343445a323739305353334138535a533157433432824d8341840b01c1300b04940a010b04824d9843990a020b018149009a40950a00960b019c419700850a008641870b01c1310b12a309001a022d31a4c853696465576f726ba50a0149a640a741a840a940aa04e807ab04e0a712ac00ad02ae02af00b0b5b104e2ef98f6a434b204e2ef98f6a434b300b40a024d428842890b008a0b008b408c0b008d408e0b008fb5900091439340', 'golden-maker-cdd6d922', 1796617953010, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCDZ2VY9XECEYE93GQSXD', 'ChildApproval', 1, 'waiting', '{"req":{"id":9}}', NULL, NULL, '[{"kind":"activity","activity":"ChildSignoff","callId":"01M97CCDZ2VY9XECEYE93GQSXD-1","callback":true,"token":"a801ab356e8e827e0f1608f71336c5c2","until":4950217943010}]', '01M97CCDZ2X3RWV28MFD2SPDTN', NULL, 'children.weft:3', 1796617943010, 1796617943010, 1, '\x010b13804181da30314d39374343445a325659395845434559453933475153584482488341840b01c1300b04940a010b0482489844990a020b018149009a40950a00960b019c419700850a008641870b01c1310b12a309001a022d31a4cc4368696c645369676e6f6666a50a0149a640a741a840a940aa04e807ab04e0a712ac0480e0d489e45bad03ae02afe06138303161623335366538653832376530663136303866373133333663356332b0b5b104e2ef98f6a434b204e2ef98f6a434b300b40a0248438842890b01c761776169743a310b02b404e2cfedff889001b90b02b9bbba418a0b008b408c0b008d408e0b008fbf900091449340', NULL, 1796617953010, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCDZ2X3RWV28MFD2SPDTN', 'Parent', 1, 'waiting', '{"id":9}', NULL, NULL, '[{"kind":"child","runId":"01M97CCDZ2VY9XECEYE93GQSXD","flow":"ChildApproval"}]', NULL, NULL, 'golden.weft:71', 1796617943010, 1796617943010, 1, '\x010b13804181da30314d39374343445a32583352575632384d464432535044544e82458340840b01c1300b04940a010b0482459848990a040b0181490b01c224684000009a40950a00960b019e0b029f41a0039700850a008641870b008841890b008a0b02c1300b050c4209000a103739305353334138535a5331574334320c43c7536964654a6f620c440b010c44b50c450b04824da50a010b0181490c460a000c470b010c470b018149ba02c1310b050c4209000a10565939584543455945393347515358440c43cd4368696c64417070726f76616c0c440b010c44b50c450b048248a50a010b0181490c460a000c470b01c37265710b018149ba038b428c0b008d408e0b008fbf900091489340', NULL, 1796617953010, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97CCECAHA9NVMQBFJBFHK9X', 'Repair', 1, 'failed', '{"id":3}', NULL, '{"message":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}', '[]', NULL, NULL, 'golden.weft:98', 1796617943434, 1796617943507, 2, '\x010b13804181da30314d393743434543414841394e564d5142464a4246484b395882478340840b01c1300b04940a010b0482479843990a020b018143009a40950a0096a29700850a008641870b01c1310b12a309001a022d31a4cb5265706169724665746368a50a0143a640a741a840a940aa04e807ab04e0a712ac00ad02ae02af00b0b8b1048af398f6a434b2048af398f6a434b3c96e6f7420666f756e64b40a0247428842890b008a0b008b408c0b008d408e0b01c1300b03b90b02b9baba410c4d09020b12206661696c65643a206e6f7420666f756e640c4e0b04c466696c65cb676f6c64656e2e776566740c560462c3636f6c4fca736f757263654c696e65df66657463686564203d20526570616972466574636828696e7075742e6964298fb8900091439341', NULL, 1796617953434, 1);


--
-- Data for Name: schedules; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.schema_migrations VALUES (1, 'runs, journal, timers, tasks, tokens, deployments', '2026-12-07 04:31:56.143278+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (2, 'clusters: run leases, the inbox, task leases', '2026-12-07 04:31:56.143278+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (3, 'tasks: the node holding the run, leased through it first', '2026-12-07 04:31:56.143278+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (4, 'stored programs; runs parked because a build could not read them', '2026-12-07 04:31:56.143278+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (5, 'machines: instances, commands, the index of states, events, the instance inbox', '2026-12-07 04:31:56.143278+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (6, 'operating at scale: run counts, list indexes, forks, step causes, audit log', '2026-12-07 04:31:56.143278+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (7, 'events and schedules that start flows: each event id taken once, schedules'' rows by revision', '2026-12-07 04:31:56.143278+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (8, 'pull sources'' cursors', '2026-12-07 04:31:56.143278+00');


--
-- Data for Name: source_cursors; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: tasks; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.tasks VALUES ('01M97CCD8V9EWX2CQQJZMGHG6Q-2', '01M97CCD8V9EWX2CQQJZMGHG6Q', '{"callId":"01M97CCD8V9EWX2CQQJZMGHG6Q-2","runId":"01M97CCD8V9EWX2CQQJZMGHG6Q","call":2,"activity":"LoopApprove","args":["b"],"attempt":1,"deadline":null,"callbackToken":"940d329e8ccaf9e04b3b9896b52f753f"}', 'LoopApprove', NULL, 1796617942429, 'golden-maker-cdd6d922');
INSERT INTO weft_golden_src.tasks VALUES ('01M97CCDZ2790SS3A8SZS1WC42-1', '01M97CCDZ2790SS3A8SZS1WC42', '{"callId":"01M97CCDZ2790SS3A8SZS1WC42-1","runId":"01M97CCDZ2790SS3A8SZS1WC42","call":1,"activity":"SideWork","args":[9],"attempt":1,"deadline":null,"callbackToken":null}', 'SideWork', NULL, 1796617943060, 'golden-maker-cdd6d922');
INSERT INTO weft_golden_src.tasks VALUES ('01M97CCDZ2VY9XECEYE93GQSXD-1', '01M97CCDZ2VY9XECEYE93GQSXD', '{"callId":"01M97CCDZ2VY9XECEYE93GQSXD-1","runId":"01M97CCDZ2VY9XECEYE93GQSXD","call":1,"activity":"ChildSignoff","args":[9],"attempt":1,"deadline":null,"callbackToken":"a801ab356e8e827e0f1608f71336c5c2"}', 'ChildSignoff', NULL, 1796617943060, 'golden-maker-cdd6d922');
INSERT INTO weft_golden_src.tasks VALUES ('01M97CCDDERVV0C8KGAMFBDCM5-2', '01M97CCDDERVV0C8KGAMFBDCM5', '{"callId":"01M97CCDDERVV0C8KGAMFBDCM5-2","runId":"01M97CCDDERVV0C8KGAMFBDCM5","call":2,"activity":"FanoutConfirm","args":[2],"attempt":1,"deadline":null,"callbackToken":"5f0b653cdaeca806050eacd0790dd3c2"}', 'FanoutConfirm', NULL, 1796617942496, 'golden-maker-cdd6d922');
INSERT INTO weft_golden_src.tasks VALUES ('01M97CCDDERVV0C8KGAMFBDCM5-3', '01M97CCDDERVV0C8KGAMFBDCM5', '{"callId":"01M97CCDDERVV0C8KGAMFBDCM5-3","runId":"01M97CCDDERVV0C8KGAMFBDCM5","call":3,"activity":"FanoutSlow","args":[4],"attempt":1,"deadline":null,"callbackToken":null}', 'FanoutSlow', NULL, 1796617942496, 'golden-maker-cdd6d922');
INSERT INTO weft_golden_src.tasks VALUES ('01M97CCE6AKZNBMVYM3M0QVVXA-2', '01M97CCE6AKZNBMVYM3M0QVVXA', '{"callId":"01M97CCE6AKZNBMVYM3M0QVVXA-2","runId":"01M97CCE6AKZNBMVYM3M0QVVXA","call":2,"activity":"SagaDecide","args":["r5"],"attempt":1,"deadline":null,"callbackToken":"af6dbc21d2f943c5ec5e148b13a6173e"}', 'SagaDecide', NULL, 1796617943409, 'golden-maker-cdd6d922');
INSERT INTO weft_golden_src.tasks VALUES ('01M97CCEGPAW66JXG9W0PYJWFP-2', '01M97CCEGPAW66JXG9W0PYJWFP', '{"callId":"01M97CCEGPAW66JXG9W0PYJWFP-2","runId":"01M97CCEGPAW66JXG9W0PYJWFP","call":2,"activity":"ForkPayment","args":[5],"attempt":1,"deadline":null,"callbackToken":null}', 'ForkPayment', NULL, 1796617943624, 'golden-maker-cdd6d922');
INSERT INTO weft_golden_src.tasks VALUES ('01M97CCEGPAW66JXG9W0PYJWFP-3', '01M97CCEGPAW66JXG9W0PYJWFP', '{"callId":"01M97CCEGPAW66JXG9W0PYJWFP-3","runId":"01M97CCEGPAW66JXG9W0PYJWFP","call":3,"activity":"ForkAddress","args":[5],"attempt":1,"deadline":null,"callbackToken":null}', 'ForkAddress', NULL, 1796617943624, 'golden-maker-cdd6d922');
INSERT INTO weft_golden_src.tasks VALUES ('01M97CCEN4FMVVY6C16YSECEX6-2', '01M97CCEN4FMVVY6C16YSECEX6', '{"callId":"01M97CCEN4FMVVY6C16YSECEX6-2","runId":"01M97CCEN4FMVVY6C16YSECEX6","call":2,"activity":"TallyApprove","args":[1],"attempt":1,"deadline":null,"callbackToken":"58e92f199d9dcb229c0df44876a87c9a"}', 'TallyApprove', NULL, 1796617943766, 'golden-maker-cdd6d922');


--
-- Data for Name: timers; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.timers VALUES ('01M97CCD8V9EWX2CQQJZMGHG6Q', 'await:2', 4950217942379);
INSERT INTO weft_golden_src.timers VALUES ('01M97CCDDERVV0C8KGAMFBDCM5', 'await:2', 4950217942446);
INSERT INTO weft_golden_src.timers VALUES ('01M97CCDDERVV0C8KGAMFBDCM5', 'sleep:3', 1796618062446);
INSERT INTO weft_golden_src.timers VALUES ('01M97CCDHPCWGQ0368YSYDYPQN', 'backoff:2', 1796618060515);
INSERT INTO weft_golden_src.timers VALUES ('01M97CCDSZ1WKNN8B2YXK0Y7WJ', 'sleep:0', 1796618062948);
INSERT INTO weft_golden_src.timers VALUES ('01M97CCDZ2VY9XECEYE93GQSXD', 'await:1', 4950217943010);
INSERT INTO weft_golden_src.timers VALUES ('01M97CCE6AKZNBMVYM3M0QVVXA', 'await:2', 4950217943359);
INSERT INTO weft_golden_src.timers VALUES ('01M97CCEN4FMVVY6C16YSECEX6', 'await:2', 4950217943716);


--
-- Data for Name: tokens; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.tokens VALUES ('7bd8e53e7486466c83b79b5b7c434c62', '01M97CBNJCKVQXCFXQM6JTAEFY', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('8e9d121ab8b763b02bb6e7a63a08c67c', '01M97CBNJCKVQXCFXQM6JTAEFY', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('511d2f9ca65bf7dde230cd52d2414e67', '01M97CBNJCKVQXCFXQM6JTAEFY', 3, false);
INSERT INTO weft_golden_src.tokens VALUES ('37971e166485f5c49355661ede164e97', '01M97CBPKQDDFFZT3YW19JN96C', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('4f94eaf00981c5dbb630252dbe997d77', '01M97CC79ZWV9PDQC4VJ9PQWFB', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('16df035eee66719869c18236abc6a93e', '01M97CCAW77GE6FWQH9WV13G7P', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('b1991c4206423b9a71d3e40c56e47550', '01M97CCCZE1KHJRM9ZM2G6BBSX', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('940d329e8ccaf9e04b3b9896b52f753f', '01M97CCD8V9EWX2CQQJZMGHG6Q', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('674ceb4c1b5b0c6df5934c1ed51749c1', '01M97CCD8V9EWX2CQQJZMGHG6Q', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('5f0b653cdaeca806050eacd0790dd3c2', '01M97CCDDERVV0C8KGAMFBDCM5', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('a801ab356e8e827e0f1608f71336c5c2', '01M97CCDZ2VY9XECEYE93GQSXD', 1, true);
INSERT INTO weft_golden_src.tokens VALUES ('af6dbc21d2f943c5ec5e148b13a6173e', '01M97CCE6AKZNBMVYM3M0QVVXA', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('58e92f199d9dcb229c0df44876a87c9a', '01M97CCEN4FMVVY6C16YSECEX6', 2, true);


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


