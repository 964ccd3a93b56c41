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

INSERT INTO weft_golden_src.audit VALUES (1, 1796637408454, 'api', 'retry', '{}', 1, 1, 0, 1796637408454);


--
-- Data for Name: audit_runs; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.audit_runs VALUES (1, 1, '01M97YYF52DFDS48RY94QF1PQ8', NULL);


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

INSERT INTO weft_golden_src.deployments VALUES (1, '["LoopAwait","Fanout","RetryPending","Poller","Parent","Saga","Repair","ChildApproval","ForkJoin","TallyAround","machine:GoldenTally"]', '[{"name":"golden.weft","text":"// Flows whose runs a release leaves waiting as golden data\n// (scripts/make-golden.sh; crates/weft-cli/tests/golden.rs finishes them\n// with every later build). Each flow calls activities of its own, so a\n// poll for one activity only ever finds the task of one run. Timers armed\n// before the server stops take `input.pause` (minutes in the golden run,\n// seconds in its control run); timers armed after take seconds.\n\n// A wait inside a loop: one callback per item, with a running total.\nflow LoopAwait(input) {\n    total = 0\n    seen = []\n    for item in input.items {\n        answer = await LoopApprove(item) @timeout(36500d)\n        total += answer.points\n        seen = append(seen, {item: item, points: answer.points})\n    }\n    return {total: total, seen: seen}\n}\n\n// Branches of ParallelForEach, each waiting for something else: a\n// callback, a timer, a task; one is done before the server stops.\nflow Fanout(input) {\n    results = ParallelForEach(input.items, func(item) {\n        if item.kind == \"callback\" {\n            r = await FanoutConfirm(item.id) @timeout(36500d)\n            return {id: item.id, confirmed: r.ok}\n        }\n        if item.kind == \"sleep\" {\n            Sleep(input.pause)\n            return {id: item.id, slept: true}\n        }\n        if item.kind == \"slow\" {\n            s = FanoutSlow(item.id)\n            return {id: item.id, slow: s}\n        }\n        w = FanoutWork(item.id)\n        return {id: item.id, work: w}\n    })\n    summary = FanoutSummarize(len(results))\n    return {results: results, summary: summary}\n}\n\n// A call whose failed attempt waits out its back-off.\nflow RetryPending(input) {\n    prepared = RetryPrepare(input.id)\n    flaky = RetryFlaky(prepared) @retry(3, backoff: input.pause, maxBackoff: input.pause)\n    return {prepared: prepared, flaky: flaky}\n}\n\n// Timers in a loop: the run sleeps between polls.\nflow Poller(input) {\n    polls = []\n    for i in range(len(input.pauses)) {\n        status = PollStatus(i)\n        polls = append(polls, status)\n        if status == \"done\" {\n            break\n        }\n        Sleep(input.pauses[i])\n    }\n    return {polls: polls}\n}\n\n// Sub-flows: a called flow waits for a callback while an inline flow waits\n// for a task; after both, the parent sleeps in a loop.\nflow Parent(input) {\n    side = flow SideJob(input) {\n        s = SideWork(input.id)\n        return {side: s}\n    }\n    child = ChildApproval({id: input.id})\n    n = 0\n    while n < 2 {\n        Sleep(1s)\n        n++\n    }\n    return {child: child, side: side, n: n}\n}\n\n// A saga: a compensation kept as a closure while the run waits for a\n// decision, run by the prelude''s RunCompensations.\nflow Saga(input) {\n    var undo = []\n    reserved = SagaReserve(input.id)\n    undo = append(undo, func() {\n        return SagaRelease(reserved.ref)\n    })\n    decision = await SagaDecide(reserved.ref) @timeout(36500d)\n    if decision.ok != true {\n        undone = RunCompensations(undo)\n        return {status: \"compensated\", undone: undone}\n    }\n    return {status: \"kept\", ref: reserved.ref}\n}\n\n// A call that failed for good: the run waits for an operator.\nflow Repair(input) {\n    fetched = RepairFetch(input.id)\n    return {fetched: fetched}\n}\n"},{"name":"children.weft","text":"// A flow of a second file, called from golden.weft''s Parent.\nflow ChildApproval(req) {\n    signed = await ChildSignoff(req.id) @timeout(36500d)\n    return {approved: signed.approved, id: req.id}\n}\n"},{"name":"edition2.weft","text":"// Flows of the golden sets made from edition 2 on (the seed as written):\n// calls forked by assignment and joined by WaitAll, and a machine whose\n// instance a run changes before and after it waits. Each flow calls\n// activities of its own, as in golden.weft.\n\n// Fork by assignment: the three calls overlap; one is done before the\n// server stops, one fails for good after it (an entry of `errors`).\nflow ForkJoin(input) {\n    inventory = ForkInventory(input.id)\n    payment = ForkPayment(input.id)\n    address = ForkAddress(input.id)\n    results = WaitAll([inventory, payment, address])\n    if results.allSuccess {\n        return {ok: true, results: results.results}\n    }\n    return {ok: false, errors: len(results.errors)}\n}\n\n// A machine''s instance, changed once before the run waits and once after:\n// the instance, its history and the command queue live in the store the\n// later build reads.\nmachine GoldenTally {\n    state { total: number = 0 }\n    command Add(input: {n: number}) {\n        return {total: state.total + input.n}\n    }\n}\n\nflow TallyAround(input) {\n    first = GoldenTally(input.key).Add(n: 1)\n    answer = await TallyApprove(first.state.total) @timeout(36500d)\n    second = GoldenTally(input.key).Add(n: answer.n)\n    return {first: first.state.total, second: second.state.total, version: second.version}\n}\n"}]', 1796637389685, '{"format":1,"edition":2,"compiler":"weft-engine 0.1.0 compiler:11ebc45184141566","files":[{"name":"golden.weft","text":"// Flows whose runs a release leaves waiting as golden data\n// (scripts/make-golden.sh; crates/weft-cli/tests/golden.rs finishes them\n// with every later build). Each flow calls activities of its own, so a\n// poll for one activity only ever finds the task of one run. Timers armed\n// before the server stops take `input.pause` (minutes in the golden run,\n// seconds in its control run); timers armed after take seconds.\n\n// A wait inside a loop: one callback per item, with a running total.\nflow LoopAwait(input) {\n    total = 0\n    seen = []\n    for item in input.items {\n        answer = await LoopApprove(item) @timeout(36500d)\n        total += answer.points\n        seen = append(seen, {item: item, points: answer.points})\n    }\n    return {total: total, seen: seen}\n}\n\n// Branches of ParallelForEach, each waiting for something else: a\n// callback, a timer, a task; one is done before the server stops.\nflow Fanout(input) {\n    results = ParallelForEach(input.items, func(item) {\n        if item.kind == \"callback\" {\n            r = await FanoutConfirm(item.id) @timeout(36500d)\n            return {id: item.id, confirmed: r.ok}\n        }\n        if item.kind == \"sleep\" {\n            Sleep(input.pause)\n            return {id: item.id, slept: true}\n        }\n        if item.kind == \"slow\" {\n            s = FanoutSlow(item.id)\n            return {id: item.id, slow: s}\n        }\n        w = FanoutWork(item.id)\n        return {id: item.id, work: w}\n    })\n    summary = FanoutSummarize(len(results))\n    return {results: results, summary: summary}\n}\n\n// A call whose failed attempt waits out its back-off.\nflow RetryPending(input) {\n    prepared = RetryPrepare(input.id)\n    flaky = RetryFlaky(prepared) @retry(3, backoff: input.pause, maxBackoff: input.pause)\n    return {prepared: prepared, flaky: flaky}\n}\n\n// Timers in a loop: the run sleeps between polls.\nflow Poller(input) {\n    polls = []\n    for i in range(len(input.pauses)) {\n        status = PollStatus(i)\n        polls = append(polls, status)\n        if status == \"done\" {\n            break\n        }\n        Sleep(input.pauses[i])\n    }\n    return {polls: polls}\n}\n\n// Sub-flows: a called flow waits for a callback while an inline flow waits\n// for a task; after both, the parent sleeps in a loop.\nflow Parent(input) {\n    side = flow SideJob(input) {\n        s = SideWork(input.id)\n        return {side: s}\n    }\n    child = ChildApproval({id: input.id})\n    n = 0\n    while n < 2 {\n        Sleep(1s)\n        n++\n    }\n    return {child: child, side: side, n: n}\n}\n\n// A saga: a compensation kept as a closure while the run waits for a\n// decision, run by the prelude''s RunCompensations.\nflow Saga(input) {\n    var undo = []\n    reserved = SagaReserve(input.id)\n    undo = append(undo, func() {\n        return SagaRelease(reserved.ref)\n    })\n    decision = await SagaDecide(reserved.ref) @timeout(36500d)\n    if decision.ok != true {\n        undone = RunCompensations(undo)\n        return {status: \"compensated\", undone: undone}\n    }\n    return {status: \"kept\", ref: reserved.ref}\n}\n\n// A call that failed for good: the run waits for an operator.\nflow Repair(input) {\n    fetched = RepairFetch(input.id)\n    return {fetched: fetched}\n}\n"},{"name":"children.weft","text":"// A flow of a second file, called from golden.weft''s Parent.\nflow ChildApproval(req) {\n    signed = await ChildSignoff(req.id) @timeout(36500d)\n    return {approved: signed.approved, id: req.id}\n}\n"},{"name":"edition2.weft","text":"// Flows of the golden sets made from edition 2 on (the seed as written):\n// calls forked by assignment and joined by WaitAll, and a machine whose\n// instance a run changes before and after it waits. Each flow calls\n// activities of its own, as in golden.weft.\n\n// Fork by assignment: the three calls overlap; one is done before the\n// server stops, one fails for good after it (an entry of `errors`).\nflow ForkJoin(input) {\n    inventory = ForkInventory(input.id)\n    payment = ForkPayment(input.id)\n    address = ForkAddress(input.id)\n    results = WaitAll([inventory, payment, address])\n    if results.allSuccess {\n        return {ok: true, results: results.results}\n    }\n    return {ok: false, errors: len(results.errors)}\n}\n\n// A machine''s instance, changed once before the run waits and once after:\n// the instance, its history and the command queue live in the store the\n// later build reads.\nmachine GoldenTally {\n    state { total: number = 0 }\n    command Add(input: {n: number}) {\n        return {total: state.total + input.n}\n    }\n}\n\nflow TallyAround(input) {\n    first = GoldenTally(input.key).Add(n: 1)\n    answer = await TallyApprove(first.state.total) @timeout(36500d)\n    second = GoldenTally(input.key).Add(n: answer.n)\n    return {first: first.state.total, second: second.state.total, version: second.version}\n}\n"},{"name":"<prelude>","text":"\nflow RunCompensations(list) {\n    results = []\n    i = len(list) - 1\n    while i >= 0 {\n        results = append(results, list[i]())\n        i--\n    }\n    return results\n}\n"}],"flows":[["LoopAwait",1],["Fanout",2],["RetryPending",3],["Poller",4],["Parent",5],["Saga",6],["Repair",7],["ChildApproval",8],["ForkJoin",9],["TallyAround",10]],"functions":[{"name":"GoldenTally.Add","kind":"handler","file":2,"params":[0,1,2],"slots":["state","key","input"],"span":[959,1044],"code":[{"Load":0},"Null",{"Binary":"=="},{"JumpIfFalse":6},"NewObject",{"Store":0},{"Load":0},{"GetField":5},"Null",{"Binary":"=="},{"JumpIfFalse":14},{"Const":5},{"Const":54},{"SetPath":[0,1,null]},"NewObject",{"Bool":true},{"ObjSet":11},"NewObject",{"Load":0},{"GetField":5},{"Load":2},{"GetField":32},{"Binary":"+"},{"ObjSet":5},{"ObjSet":46},"Return","NewObject",{"Bool":true},{"ObjSet":11},{"Load":0},{"ObjSet":46},"Return"],"spans":[933,954,933,954,933,954,933,954,933,954,933,954,935,952,935,952,935,952,935,952,935,952,935,952,951,952,935,952,1001,1038,1001,1038,1001,1038,1008,1038,1016,1021,1022,1027,1030,1035,1036,1037,1016,1037,1009,1014,1001,1038,1001,1038,1044,1044,1044,1044,1044,1044,1044,1044,1044,1044,1044,1044]},{"name":"LoopAwait","kind":"flow","file":0,"params":[0],"slots":["input","total","seen","item","answer","$list5","$i6"],"span":[491,772],"code":[{"Const":0},{"Store":1},"NewList",{"Store":2},{"Load":0},{"GetField":1},{"IterInit":[5,6]},{"IterNext":[5,6,3,27]},{"Load":3},{"Const":2},{"CallActivity":0},{"Store":4},{"Load":1},{"Load":4},{"GetField":3},{"Binary":"+"},{"Store":1},{"Load":2},"NewObject",{"Load":3},{"ObjSet":4},{"Load":4},{"GetField":3},{"ObjSet":3},{"CallBuiltin":["append",2]},{"Store":2},{"Jump":7},"NewObject",{"Load":1},{"ObjSet":5},{"Load":2},{"ObjSet":6},"Return","Null","Return"],"spans":[527,528,519,528,540,542,533,542,559,564,565,570,559,570,551,555,608,612,623,629,596,630,581,630,639,644,648,654,655,661,639,661,639,661,684,688,690,725,697,701,691,695,711,717,718,724,703,709,677,726,670,726,571,732,744,770,752,757,745,750,765,769,759,763,737,770,772,772,772,772]},{"name":"Fanout","kind":"flow","file":0,"params":[0],"slots":["input","results","summary"],"span":[908,1556],"code":[{"Load":0},{"GetField":1},{"Load":0},{"MakeClosure":12},"ParallelForEach",{"Store":1},{"Load":1},{"CallBuiltin":["len",1]},{"CallActivity":4},{"Store":2},"NewObject",{"Load":1},{"ObjSet":18},{"Load":2},{"ObjSet":19},"Return","Null","Return"],"spans":[959,964,965,970,972,1461,972,1461,943,1462,933,1462,1497,1504,1493,1505,1477,1506,1467,1506,1518,1554,1528,1535,1519,1526,1546,1553,1537,1544,1511,1554,1556,1556,1556,1556]},{"name":"RetryPending","kind":"flow","file":0,"params":[0],"slots":["input","prepared","flaky"],"span":[1613,1815],"code":[{"Load":0},{"GetField":9},{"CallActivity":5},{"Store":1},{"Load":1},{"Const":20},{"Load":0},{"GetField":14},{"Load":0},{"GetField":14},{"CallActivity":6},{"Store":2},"NewObject",{"Load":1},{"ObjSet":21},{"Load":2},{"ObjSet":22},"Return","Null","Return"],"spans":[1668,1673,1674,1676,1655,1677,1644,1677,1701,1709,1718,1719,1730,1735,1736,1741,1755,1760,1761,1766,1690,1767,1682,1767,1779,1813,1790,1798,1780,1788,1807,1812,1800,1805,1772,1813,1815,1815,1815,1815]},{"name":"Poller","kind":"flow","file":0,"params":[0],"slots":["input","polls","i","status","$list4","$i5"],"span":[1868,2135],"code":["NewList",{"Store":1},{"Load":0},{"GetField":23},{"CallBuiltin":["len",1]},{"CallBuiltin":["range",1]},{"IterInit":[4,5]},{"IterNext":[4,5,2,27]},{"Load":2},{"CallActivity":7},{"Store":3},{"Load":1},{"Load":3},{"CallBuiltin":["append",2]},{"Store":1},{"Load":3},{"Const":24},{"Binary":"=="},{"JumpIfFalse":20},{"Jump":27},{"Load":0},{"GetField":23},{"Load":2},"GetIndex",{"CallBuiltin":["Sleep",1]},"Pop",{"Jump":7},"NewObject",{"Load":1},{"ObjSet":25},"Return","Null","Return"],"spans":[1901,1903,1893,1903,1927,1932,1933,1939,1923,1940,1917,1941,1917,1941,1912,1913,1972,1973,1961,1974,1952,1974,1998,2003,2005,2011,1991,2012,1983,2012,2024,2030,2034,2040,2024,2040,2024,2040,2055,2060,2085,2090,2091,2097,2098,2099,2085,2100,2079,2101,2079,2101,1942,2107,2119,2133,2127,2132,2120,2125,2112,2133,2135,2135,2135,2135]},{"name":"Parent","kind":"flow","file":0,"params":[0],"slots":["input","side","child","n"],"span":[2269,2536],"code":[{"Load":0},{"StartInline":13},{"Store":1},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"CallFlow":[8,1]},{"Store":2},{"Const":27},{"Store":3},{"Load":3},{"Const":28},{"Binary":"<"},{"JumpIfFalse":23},{"Const":29},{"CallBuiltin":["Sleep",1]},"Pop",{"Load":3},{"Const":30},{"Binary":"+"},{"Store":3},{"Jump":11},"NewObject",{"Load":2},{"ObjSet":31},{"Load":1},{"ObjSet":26},{"Load":3},{"ObjSet":32},"Return","Null","Return"],"spans":[2314,2319,2306,2313,2294,2384,2411,2425,2416,2421,2422,2424,2412,2414,2397,2426,2389,2426,2435,2436,2431,2436,2447,2448,2451,2452,2447,2452,2447,2452,2469,2471,2463,2472,2463,2472,2481,2482,2481,2484,2481,2484,2481,2484,2453,2490,2502,2534,2510,2515,2503,2508,2523,2527,2517,2521,2532,2533,2529,2530,2495,2534,2536,2536,2536,2536]},{"name":"Saga","kind":"flow","file":0,"params":[0],"slots":["input","undo","reserved","decision","undone"],"span":[2660,3056],"code":["NewList",{"Store":1},{"Load":0},{"GetField":9},{"CallActivity":9},{"Store":2},{"Load":1},{"Load":2},{"MakeClosure":14},{"CallBuiltin":["append",2]},{"Store":1},{"Load":2},{"GetField":33},{"Const":34},{"CallActivity":11},{"Store":3},{"Load":3},{"GetField":11},{"Bool":true},{"Binary":"!="},{"JumpIfFalse":30},{"Load":1},{"CallFunc":[11,1]},{"Store":4},"NewObject",{"Const":35},{"ObjSet":36},{"Load":4},{"ObjSet":37},"Return","NewObject",{"Const":38},{"ObjSet":36},{"Load":2},{"GetField":33},{"ObjSet":33},"Return","Null","Return"],"spans":[2694,2696,2683,2696,2724,2729,2730,2732,2712,2733,2701,2733,2752,2756,2758,2813,2758,2813,2745,2814,2738,2814,2847,2855,2856,2859,2870,2876,2836,2877,2819,2877,2885,2893,2894,2896,2900,2904,2885,2904,2885,2904,2941,2945,2924,2946,2915,2946,2962,3001,2971,2984,2963,2969,2994,3000,2986,2992,2955,3001,3019,3054,3028,3034,3020,3026,3041,3049,3050,3053,3036,3039,3012,3054,3056,3056,3056,3056]},{"name":"Repair","kind":"flow","file":0,"params":[0],"slots":["input","fetched"],"span":[3121,3209],"code":[{"Load":0},{"GetField":9},{"CallActivity":12},{"Store":1},"NewObject",{"Load":1},{"ObjSet":39},"Return","Null","Return"],"spans":[3168,3173,3174,3176,3156,3177,3146,3177,3189,3207,3199,3206,3190,3197,3182,3207,3209,3209,3209,3209]},{"name":"ChildApproval","kind":"flow","file":1,"params":[0],"slots":["req","signed"],"span":[62,197],"code":[{"Load":0},{"GetField":9},{"Const":40},{"CallActivity":13},{"Store":1},"NewObject",{"Load":1},{"GetField":41},{"ObjSet":41},{"Load":0},{"GetField":9},{"ObjSet":9},"Return","Null","Return"],"spans":[120,123,124,126,137,143,107,144,92,144,156,195,167,173,174,182,157,165,188,191,192,194,184,186,149,195,197,197,197,197]},{"name":"ForkJoin","kind":"flow","file":2,"params":[0],"slots":["input","inventory","payment","address","results"],"span":[402,729],"code":[{"Load":0},{"MakeClosure":15},"Fork",{"Store":1},{"Load":0},{"MakeClosure":16},"Fork",{"Store":2},{"Load":0},{"MakeClosure":17},"Fork",{"Store":3},"NewList",{"Take":1},"ListPush",{"Take":2},"ListPush",{"Take":3},"ListPush",{"Parallel":"all"},{"Store":4},{"Load":4},{"GetField":42},{"JumpIfFalse":31},"NewObject",{"Bool":true},{"ObjSet":11},{"Load":4},{"GetField":18},{"ObjSet":18},"Return","NewObject",{"Bool":false},{"ObjSet":11},{"Load":4},{"GetField":43},{"CallBuiltin":["len",1]},{"ObjSet":43},"Return","Null","Return"],"spans":[441,464,441,464,441,464,429,464,479,500,479,500,479,500,469,500,515,536,515,536,515,536,505,536,559,588,560,569,560,569,571,578,571,578,580,587,580,587,551,589,541,589,597,604,605,615,597,615,633,669,638,642,634,636,653,660,661,668,644,651,626,669,687,727,692,697,688,690,711,718,719,725,707,726,699,705,680,727,729,729,729,729]},{"name":"TallyAround","kind":"flow","file":2,"params":[0],"slots":["input","first","answer","second"],"span":[1048,1332],"code":[{"Load":0},{"GetField":44},"NewObject",{"Const":45},{"ObjSet":32},{"CallActivity":17},{"Store":1},{"Load":1},{"GetField":46},{"GetField":5},{"Const":47},{"CallActivity":18},{"Store":2},{"Load":0},{"GetField":44},"NewObject",{"Load":2},{"GetField":32},{"ObjSet":32},{"CallActivity":19},{"Store":3},"NewObject",{"Load":1},{"GetField":46},{"GetField":5},{"ObjSet":48},{"Load":3},{"GetField":46},{"GetField":5},{"ObjSet":49},{"Load":3},{"GetField":50},{"ObjSet":50},"Return","Null","Return"],"spans":[1098,1103,1104,1107,1086,1118,1116,1117,1113,1114,1086,1118,1078,1118,1151,1156,1157,1162,1163,1168,1179,1185,1138,1186,1123,1186,1212,1217,1218,1221,1200,1239,1230,1236,1237,1238,1227,1228,1200,1239,1191,1239,1251,1330,1259,1264,1265,1270,1271,1276,1252,1257,1286,1292,1293,1298,1299,1304,1278,1284,1315,1321,1322,1329,1306,1313,1244,1330,1332,1332,1332,1332]},{"name":"RunCompensations","kind":"prelude","file":3,"params":[0],"slots":["list","results","i"],"span":[1,172],"code":["NewList",{"Store":1},{"Load":0},{"CallBuiltin":["len",1]},{"Const":51},{"Binary":"-"},{"Store":2},{"Load":2},{"Const":52},{"Binary":">="},{"JumpIfFalse":23},{"Load":1},{"Load":0},{"Load":2},"GetIndex",{"CallClosure":0},{"CallBuiltin":["append",2]},{"Store":1},{"Load":2},{"Const":53},{"Binary":"-"},{"Store":2},{"Jump":7},{"Load":1},"Return","Null","Return"],"spans":[45,47,35,47,60,64,56,65,68,69,56,69,52,69,80,81,85,86,80,86,80,86,114,121,123,127,128,129,123,130,123,132,107,133,97,133,142,143,142,145,142,145,142,145,87,151,163,170,156,170,172,172,172,172]},{"name":"func","kind":"lambda","file":0,"params":[0],"captures":[{"name":"input","slot":4}],"slots":["item","r","s","w","input"],"span":[972,1461],"code":[{"Load":0},{"GetField":7},{"Const":8},{"Binary":"=="},{"JumpIfFalse":18},{"Load":0},{"GetField":9},{"Const":10},{"CallActivity":1},{"Store":1},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Load":1},{"GetField":11},{"ObjSet":12},"Return",{"Load":0},{"GetField":7},{"Const":13},{"Binary":"=="},{"JumpIfFalse":34},{"Load":4},{"GetField":14},{"CallBuiltin":["Sleep",1]},"Pop","NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Bool":true},{"ObjSet":15},"Return",{"Load":0},{"GetField":7},{"Const":16},{"Binary":"=="},{"JumpIfFalse":50},{"Load":0},{"GetField":9},{"CallActivity":2},{"Store":2},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Load":2},{"ObjSet":16},"Return",{"Load":0},{"GetField":9},{"CallActivity":3},{"Store":3},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Load":3},{"ObjSet":17},"Return","Null","Return"],"spans":[996,1000,1001,1005,1009,1019,996,1019,996,1019,1058,1062,1063,1065,1076,1082,1044,1083,1034,1083,1103,1133,1108,1112,1113,1115,1104,1106,1128,1129,1130,1132,1117,1126,1096,1133,1155,1159,1160,1164,1168,1175,1155,1175,1155,1175,1196,1201,1202,1207,1190,1208,1190,1208,1228,1254,1233,1237,1238,1240,1229,1231,1249,1253,1242,1247,1221,1254,1276,1280,1281,1285,1289,1295,1276,1295,1276,1295,1325,1329,1330,1332,1314,1333,1310,1333,1353,1375,1358,1362,1363,1365,1354,1356,1373,1374,1367,1371,1346,1375,1409,1413,1414,1416,1398,1417,1394,1417,1433,1455,1438,1442,1443,1445,1434,1436,1453,1454,1447,1451,1426,1455,1461,1461,1461,1461]},{"name":"SideJob","kind":"inlineFlow","file":0,"params":[0],"paramLabels":["input"],"slots":["input","s"],"span":[2301,2384],"code":[{"Load":0},{"GetField":9},{"CallActivity":8},{"Store":1},"NewObject",{"Load":1},{"ObjSet":26},"Return","Null","Return"],"spans":[2344,2349,2350,2352,2335,2353,2331,2353,2369,2378,2376,2377,2370,2374,2362,2378,2384,2384,2384,2384]},{"name":"func","kind":"lambda","file":0,"params":[],"captures":[{"name":"reserved","slot":0}],"slots":["reserved"],"span":[2758,2813],"code":[{"Load":0},{"GetField":33},{"CallActivity":10},"Return","Null","Return"],"spans":[2794,2802,2803,2806,2782,2807,2775,2807,2813,2813,2813,2813]},{"name":"branch","kind":"branch","file":2,"params":[],"captures":[{"name":"input","slot":0}],"slots":["input"],"span":[441,464],"code":[{"Load":0},{"GetField":9},{"CallActivity":14},"Return"],"spans":[455,460,461,463,441,464,441,464]},{"name":"branch","kind":"branch","file":2,"params":[],"captures":[{"name":"input","slot":0}],"slots":["input"],"span":[479,500],"code":[{"Load":0},{"GetField":9},{"CallActivity":15},"Return"],"spans":[491,496,497,499,479,500,479,500]},{"name":"branch","kind":"branch","file":2,"params":[],"captures":[{"name":"input","slot":0}],"slots":["input"],"span":[515,536],"code":[{"Load":0},{"GetField":9},{"CallActivity":16},"Return"],"spans":[527,532,533,535,515,536,515,536]}],"consts":[{"Int":0},{"Str":"items"},{"Duration":3153600000000},{"Str":"points"},{"Str":"item"},{"Str":"total"},{"Str":"seen"},{"Str":"kind"},{"Str":"callback"},{"Str":"id"},{"Duration":3153600000000},{"Str":"ok"},{"Str":"confirmed"},{"Str":"sleep"},{"Str":"pause"},{"Str":"slept"},{"Str":"slow"},{"Str":"work"},{"Str":"results"},{"Str":"summary"},{"Int":3},{"Str":"prepared"},{"Str":"flaky"},{"Str":"pauses"},{"Str":"done"},{"Str":"polls"},{"Str":"side"},{"Int":0},{"Int":2},{"Duration":1000},{"Int":1},{"Str":"child"},{"Str":"n"},{"Str":"ref"},{"Duration":3153600000000},{"Str":"compensated"},{"Str":"status"},{"Str":"undone"},{"Str":"kept"},{"Str":"fetched"},{"Duration":3153600000000},{"Str":"approved"},{"Str":"allSuccess"},{"Str":"errors"},{"Str":"key"},{"Int":1},{"Str":"state"},{"Duration":3153600000000},{"Str":"first"},{"Str":"second"},{"Str":"version"},{"Int":1},{"Int":0},{"Int":1},{"Int":0}],"calls":[{"activity":"LoopApprove","positional":1,"timeout":true,"awaited":true},{"activity":"FanoutConfirm","positional":1,"timeout":true,"awaited":true},{"activity":"FanoutSlow","positional":1},{"activity":"FanoutWork","positional":1},{"activity":"FanoutSummarize","positional":1},{"activity":"RetryPrepare","positional":1},{"activity":"RetryFlaky","positional":1,"retry":true,"retryBackoff":true,"retryMax":true},{"activity":"PollStatus","positional":1},{"activity":"SideWork","positional":1},{"activity":"SagaReserve","positional":1},{"activity":"SagaRelease","positional":1},{"activity":"SagaDecide","positional":1,"timeout":true,"awaited":true},{"activity":"RepairFetch","positional":1},{"activity":"ChildSignoff","positional":1,"timeout":true,"awaited":true},{"activity":"ForkInventory","positional":1,"catch":true},{"activity":"ForkPayment","positional":1,"catch":true},{"activity":"ForkAddress","positional":1,"catch":true},{"activity":"machine:GoldenTally.Add","positional":2},{"activity":"TallyApprove","positional":1,"timeout":true,"awaited":true},{"activity":"machine:GoldenTally.Add","positional":2}],"machines":[{"name":"GoldenTally","state":{"kind":"object","fields":[{"name":"total","ty":{"kind":"number"},"optional":false}],"open":false},"commands":[{"name":"Add","input":{"kind":"object","fields":[{"name":"n","ty":{"kind":"number"},"optional":false}],"open":false},"handler":0}]}]}');


--
-- Data for Name: events; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.events VALUES (1, 'machine:GoldenTally/control/1', 'created', 'GoldenTally', '{"key":"control","version":1,"command":"Add","commandId":"01M97YYFA35FC0JSVR9PVMQHGH-1","state":{"total":1}}', 'machine', 1796637408579, '[]');
INSERT INTO weft_golden_src.events VALUES (2, 'machine:GoldenTally/control/2', 'updated', 'GoldenTally', '{"key":"control","version":2,"command":"Add","commandId":"01M97YYFA35FC0JSVR9PVMQHGH-3","state":{"total":42}}', 'machine', 1796637408611, '[]');
INSERT INTO weft_golden_src.events VALUES (3, 'machine:GoldenTally/golden/1', 'created', 'GoldenTally', '{"key":"golden","version":1,"command":"Add","commandId":"01M97YYFM1MRAGX8D83X3SC4TP-1","state":{"total":1}}', 'machine', 1796637408897, '[]');


--
-- Data for Name: idempotency_keys; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: inbox; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: journal; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.journal VALUES ('01M97YXWYAS7FPWEPC22WDGKYF', 1, '[{"at":1796637389770,"type":"started","input":{"items":["a","b","c"]}},{"at":1796637389770,"type":"callStarted","callId":"01M97YXWYAS7FPWEPC22WDGKYF-1","activity":"LoopApprove","args":["a"],"attempt":1,"awaited":true,"line":13}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YXWYAS7FPWEPC22WDGKYF', 2, '[{"at":1796637389928,"type":"callCompleted","callId":"01M97YXWYAS7FPWEPC22WDGKYF-1","activity":"LoopApprove","attempt":1,"value":{"points":1},"durationMs":158,"how":"callback"},{"at":1796637389928,"type":"callStarted","callId":"01M97YXWYAS7FPWEPC22WDGKYF-2","activity":"LoopApprove","args":["b"],"attempt":1,"awaited":true,"line":13}]', '{"event":{"type":"callback","call":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YXWYAS7FPWEPC22WDGKYF', 3, '[{"at":1796637389963,"type":"callCompleted","callId":"01M97YXWYAS7FPWEPC22WDGKYF-2","activity":"LoopApprove","attempt":1,"value":{"points":10},"durationMs":35,"how":"callback"},{"at":1796637389963,"type":"callStarted","callId":"01M97YXWYAS7FPWEPC22WDGKYF-3","activity":"LoopApprove","args":["c"],"attempt":1,"awaited":true,"line":13}]', '{"event":{"type":"callback","call":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YXWYAS7FPWEPC22WDGKYF', 4, '[{"at":1796637389994,"type":"callCompleted","callId":"01M97YXWYAS7FPWEPC22WDGKYF-3","activity":"LoopApprove","attempt":1,"value":{"points":100},"durationMs":31,"how":"callback"},{"at":1796637389994,"type":"completed","result":{"total":111,"seen":[{"item":"a","points":1},{"item":"b","points":10},{"item":"c","points":100}]}}]', '{"event":{"type":"callback","call":3,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YXX60E81PMHJZQEQMNQBW', 1, '[{"at":1796637390016,"type":"started","input":{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"5s"}},{"at":1796637390016,"type":"callStarted","callId":"01M97YXX60E81PMHJZQEQMNQBW-1","activity":"FanoutWork","args":[1],"attempt":1,"awaited":false,"line":36},{"at":1796637390016,"type":"callStarted","callId":"01M97YXX60E81PMHJZQEQMNQBW-2","activity":"FanoutConfirm","args":[2],"attempt":1,"awaited":true,"line":25},{"at":1796637390016,"type":"timerStarted","until":1796637395016},{"at":1796637390016,"type":"callStarted","callId":"01M97YXX60E81PMHJZQEQMNQBW-3","activity":"FanoutSlow","args":[4],"attempt":1,"awaited":false,"line":33}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YXX60E81PMHJZQEQMNQBW', 2, '[{"at":1796637390098,"type":"callCompleted","callId":"01M97YXX60E81PMHJZQEQMNQBW-1","activity":"FanoutWork","attempt":1,"value":"w1","durationMs":82,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YXX60E81PMHJZQEQMNQBW', 3, '[{"at":1796637395024,"type":"timerFired","key":"sleep:3"}]', '{"event":{"type":"timerFired","key":"sleep:3"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YXX60E81PMHJZQEQMNQBW', 4, '[{"at":1796637395051,"type":"callCompleted","callId":"01M97YXX60E81PMHJZQEQMNQBW-3","activity":"FanoutSlow","attempt":1,"value":"s4","durationMs":5035,"how":"returned"}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YXX60E81PMHJZQEQMNQBW', 5, '[{"at":1796637395079,"type":"callCompleted","callId":"01M97YXX60E81PMHJZQEQMNQBW-2","activity":"FanoutConfirm","attempt":1,"value":{"ok":true},"durationMs":5063,"how":"callback"},{"at":1796637395079,"type":"callStarted","callId":"01M97YXX60E81PMHJZQEQMNQBW-4","activity":"FanoutSummarize","args":[4],"attempt":1,"awaited":false,"line":39}]', '{"event":{"type":"callback","call":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YXX60E81PMHJZQEQMNQBW', 6, '[{"at":1796637395112,"type":"callCompleted","callId":"01M97YXX60E81PMHJZQEQMNQBW-4","activity":"FanoutSummarize","attempt":1,"value":{"count":4},"durationMs":33,"how":"returned"},{"at":1796637395112,"type":"completed","result":{"results":[{"id":1,"work":"w1"},{"id":2,"confirmed":true},{"id":3,"slept":true},{"id":4,"slow":"s4"}],"summary":{"count":4}}}]', '{"event":{"type":"callCompleted","call":4,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YY25X5D8E43C09KC5DQ1C', 1, '[{"at":1796637395133,"type":"started","input":{"id":7,"pause":"5s"}},{"at":1796637395133,"type":"callStarted","callId":"01M97YY25X5D8E43C09KC5DQ1C-1","activity":"RetryPrepare","args":[7],"attempt":1,"awaited":false,"line":45}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YY25X5D8E43C09KC5DQ1C', 2, '[{"at":1796637395148,"type":"callCompleted","callId":"01M97YY25X5D8E43C09KC5DQ1C-1","activity":"RetryPrepare","attempt":1,"value":{"prepared":7},"durationMs":15,"how":"returned"},{"at":1796637395148,"type":"callStarted","callId":"01M97YY25X5D8E43C09KC5DQ1C-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":1,"awaited":false,"line":46}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YY25X5D8E43C09KC5DQ1C', 3, '[{"at":1796637395178,"type":"callFailed","callId":"01M97YY25X5D8E43C09KC5DQ1C-2","activity":"RetryFlaky","attempt":1,"error":"connection reset","retryAt":1796637399472}]', '{"event":{"type":"callFailed","call":2,"attempt":1,"error":"connection reset","retryable":true},"jitter":[0.7178202653309839]}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YY25X5D8E43C09KC5DQ1C', 4, '[{"at":1796637399555,"type":"timerFired","key":"backoff:2"},{"at":1796637399555,"type":"callStarted","callId":"01M97YY25X5D8E43C09KC5DQ1C-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":2,"awaited":false,"line":46}]', '{"event":{"type":"timerFired","key":"backoff:2"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YY25X5D8E43C09KC5DQ1C', 5, '[{"at":1796637399575,"type":"callCompleted","callId":"01M97YY25X5D8E43C09KC5DQ1C-2","activity":"RetryFlaky","attempt":2,"value":"flaky-ok","durationMs":4427,"how":"returned"},{"at":1796637399575,"type":"completed","result":{"prepared":{"prepared":7},"flaky":"flaky-ok"}}]', '{"event":{"type":"callCompleted","call":2,"attempt":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YY6HEHZVREZBRB1T9CD7J', 1, '[{"at":1796637399598,"type":"started","input":{"pauses":["5s","1s","1s"]}},{"at":1796637399598,"type":"callStarted","callId":"01M97YY6HEHZVREZBRB1T9CD7J-1","activity":"PollStatus","args":[0],"attempt":1,"awaited":false,"line":54}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YY6HEHZVREZBRB1T9CD7J', 2, '[{"at":1796637399628,"type":"callCompleted","callId":"01M97YY6HEHZVREZBRB1T9CD7J-1","activity":"PollStatus","attempt":1,"value":"pending","durationMs":30,"how":"returned"},{"at":1796637399628,"type":"timerStarted","until":1796637404628}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YY6HEHZVREZBRB1T9CD7J', 3, '[{"at":1796637404807,"type":"timerFired","key":"sleep:0"},{"at":1796637404807,"type":"callStarted","callId":"01M97YY6HEHZVREZBRB1T9CD7J-2","activity":"PollStatus","args":[1],"attempt":1,"awaited":false,"line":54}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YY6HEHZVREZBRB1T9CD7J', 4, '[{"at":1796637404824,"type":"callCompleted","callId":"01M97YY6HEHZVREZBRB1T9CD7J-2","activity":"PollStatus","attempt":1,"value":"pending","durationMs":17,"how":"returned"},{"at":1796637404824,"type":"timerStarted","until":1796637405824}]', '{"event":{"type":"callCompleted","call":2,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YY6HEHZVREZBRB1T9CD7J', 5, '[{"at":1796637406016,"type":"timerFired","key":"sleep:0"},{"at":1796637406016,"type":"callStarted","callId":"01M97YY6HEHZVREZBRB1T9CD7J-3","activity":"PollStatus","args":[2],"attempt":1,"awaited":false,"line":54}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YY6HEHZVREZBRB1T9CD7J', 6, '[{"at":1796637406031,"type":"callCompleted","callId":"01M97YY6HEHZVREZBRB1T9CD7J-3","activity":"PollStatus","attempt":1,"value":"done","durationMs":15,"how":"returned"},{"at":1796637406031,"type":"completed","result":{"polls":["pending","pending","done"]}}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYCV14H1CZE64BVKSW9FC', 1, '[{"at":1796637406049,"type":"started","input":{"req":{"id":9}}},{"at":1796637406049,"type":"callStarted","callId":"01M97YYCV14H1CZE64BVKSW9FC-1","activity":"ChildSignoff","args":[9],"attempt":1,"awaited":true,"line":3}]', '{"child":{"func":8,"args":[{"id":9}],"captures":[],"input":{"req":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYCV1PKFNYDAV9AR2Y12X', 1, '[{"at":1796637406049,"type":"started","input":{"input":{"id":9}}},{"at":1796637406049,"type":"callStarted","callId":"01M97YYCV1PKFNYDAV9AR2Y12X-1","activity":"SideWork","args":[9],"attempt":1,"awaited":false,"line":68}]', '{"child":{"func":13,"args":[{"id":9}],"captures":[],"input":{"input":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYCV1WK688SVQVWF332ZV', 1, '[{"at":1796637406049,"type":"started","input":{"id":9}},{"at":1796637406049,"type":"childStarted","runId":"01M97YYCV1PKFNYDAV9AR2Y12X","flow":"SideJob"},{"at":1796637406049,"type":"childStarted","runId":"01M97YYCV14H1CZE64BVKSW9FC","flow":"ChildApproval"}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYCV1WK688SVQVWF332ZV', 4, '[{"at":1796637407253,"type":"timerFired","key":"sleep:0"},{"at":1796637407253,"type":"timerStarted","until":1796637408253}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYF2GD3CXV65QM2Q2EYDE', 1, '[{"at":1796637408336,"type":"started","input":{"id":5}},{"at":1796637408336,"type":"callStarted","callId":"01M97YYF2GD3CXV65QM2Q2EYDE-1","activity":"SagaReserve","args":[5],"attempt":1,"awaited":false,"line":84}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYF2GD3CXV65QM2Q2EYDE', 4, '[{"at":1796637408401,"type":"callCompleted","callId":"01M97YYF2GD3CXV65QM2Q2EYDE-3","activity":"SagaRelease","attempt":1,"value":"released","durationMs":27,"how":"returned"},{"at":1796637408401,"type":"completed","result":{"status":"compensated","undone":["released"]}}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYF52DFDS48RY94QF1PQ8', 2, '[{"at":1796637408433,"type":"callFailed","callId":"01M97YYF52DFDS48RY94QF1PQ8-1","activity":"RepairFetch","attempt":1,"error":"not found","retryAt":null},{"at":1796637408433,"type":"failed","error":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}]', '{"event":{"type":"callFailed","call":1,"attempt":1,"error":"not found","retryable":false},"jitter":[0.13164859299446052]}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYCV1WK688SVQVWF332ZV', 2, '[{"at":1796637406092,"type":"childFinished","runId":"01M97YYCV1PKFNYDAV9AR2Y12X","result":{"side":"side-ok"}}]', '{"event":{"type":"childFinished","child":0,"run_id":"01M97YYCV1PKFNYDAV9AR2Y12X","result":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYCV1PKFNYDAV9AR2Y12X', 2, '[{"at":1796637406092,"type":"callCompleted","callId":"01M97YYCV1PKFNYDAV9AR2Y12X-1","activity":"SideWork","attempt":1,"value":"side-ok","durationMs":43,"how":"returned"},{"at":1796637406092,"type":"completed","result":{"side":"side-ok"}}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYCV1WK688SVQVWF332ZV', 3, '[{"at":1796637406143,"type":"childFinished","runId":"01M97YYCV14H1CZE64BVKSW9FC","result":{"approved":true,"id":9}},{"at":1796637406143,"type":"timerStarted","until":1796637407143}]', '{"event":{"type":"childFinished","child":0,"run_id":"01M97YYCV14H1CZE64BVKSW9FC","result":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYCV14H1CZE64BVKSW9FC', 2, '[{"at":1796637406143,"type":"callCompleted","callId":"01M97YYCV14H1CZE64BVKSW9FC-1","activity":"ChildSignoff","attempt":1,"value":{"approved":true},"durationMs":94,"how":"callback"},{"at":1796637406143,"type":"completed","result":{"approved":true,"id":9}}]', '{"event":{"type":"callback","call":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYCV1WK688SVQVWF332ZV', 5, '[{"at":1796637408254,"type":"timerFired","key":"sleep:0"},{"at":1796637408254,"type":"completed","result":{"child":{"approved":true,"id":9},"side":{"side":"side-ok"},"n":2}}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYF2GD3CXV65QM2Q2EYDE', 2, '[{"at":1796637408351,"type":"callCompleted","callId":"01M97YYF2GD3CXV65QM2Q2EYDE-1","activity":"SagaReserve","attempt":1,"value":{"ref":"r5"},"durationMs":15,"how":"returned"},{"at":1796637408351,"type":"callStarted","callId":"01M97YYF2GD3CXV65QM2Q2EYDE-2","activity":"SagaDecide","args":["r5"],"attempt":1,"awaited":true,"line":88}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYF2GD3CXV65QM2Q2EYDE', 3, '[{"at":1796637408374,"type":"callCompleted","callId":"01M97YYF2GD3CXV65QM2Q2EYDE-2","activity":"SagaDecide","attempt":1,"value":{"ok":false},"durationMs":23,"how":"callback"},{"at":1796637408374,"type":"callStarted","callId":"01M97YYF2GD3CXV65QM2Q2EYDE-3","activity":"SagaRelease","args":["r5"],"attempt":1,"awaited":false,"line":86}]', '{"event":{"type":"callback","call":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYF52DFDS48RY94QF1PQ8', 1, '[{"at":1796637408418,"type":"started","input":{"id":3}},{"at":1796637408418,"type":"callStarted","callId":"01M97YYF52DFDS48RY94QF1PQ8-1","activity":"RepairFetch","args":[3],"attempt":1,"awaited":false,"line":98}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYF52DFDS48RY94QF1PQ8', 3, '[{"at":1796637408452,"type":"retried"},{"at":1796637408452,"type":"callStarted","callId":"01M97YYF52DFDS48RY94QF1PQ8-1","activity":"RepairFetch","args":[3],"attempt":2,"awaited":false,"line":98}]', '{"event":{"type":"retry"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYF7H08TMBAPAPTAZJXNX', 2, '[{"at":1796637408512,"type":"callCompleted","callId":"01M97YYF7H08TMBAPAPTAZJXNX-1","activity":"ForkInventory","attempt":1,"value":{"reserved":5},"durationMs":15,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYF7H08TMBAPAPTAZJXNX', 3, '[{"at":1796637408536,"type":"callCompleted","callId":"01M97YYF7H08TMBAPAPTAZJXNX-3","activity":"ForkAddress","attempt":1,"value":{"verified":true},"durationMs":39,"how":"returned"}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYF7H08TMBAPAPTAZJXNX', 4, '[{"at":1796637408560,"type":"callFailed","callId":"01M97YYF7H08TMBAPAPTAZJXNX-2","activity":"ForkPayment","attempt":1,"error":"card declined","retryAt":null},{"at":1796637408560,"type":"callCompleted","callId":"01M97YYF7H08TMBAPAPTAZJXNX-2","activity":"ForkPayment","attempt":1,"value":{"status":"error","error":{"message":"card declined","attempts":1}},"durationMs":63,"how":"caught"},{"at":1796637408560,"type":"completed","result":{"ok":false,"errors":1}}]', '{"event":{"type":"callFailed","call":2,"attempt":1,"error":"card declined","retryable":false},"jitter":[0.32213300376676013]}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFBWTKYZMANYT495062R', 2, '[{"at":1796637408657,"type":"callCompleted","callId":"01M97YYFBWTKYZMANYT495062R-1","activity":"LoopApprove","attempt":1,"value":{"points":1},"durationMs":21,"how":"callback"},{"at":1796637408657,"type":"callStarted","callId":"01M97YYFBWTKYZMANYT495062R-2","activity":"LoopApprove","args":["b"],"attempt":1,"awaited":true,"line":13}]', '{"event":{"type":"callback","call":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFD0EGW62PTMRG4PZJQD', 1, '[{"at":1796637408672,"type":"started","input":{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"2m"}},{"at":1796637408672,"type":"callStarted","callId":"01M97YYFD0EGW62PTMRG4PZJQD-1","activity":"FanoutWork","args":[1],"attempt":1,"awaited":false,"line":36},{"at":1796637408672,"type":"callStarted","callId":"01M97YYFD0EGW62PTMRG4PZJQD-2","activity":"FanoutConfirm","args":[2],"attempt":1,"awaited":true,"line":25},{"at":1796637408672,"type":"timerStarted","until":1796637528672},{"at":1796637408672,"type":"callStarted","callId":"01M97YYFD0EGW62PTMRG4PZJQD-3","activity":"FanoutSlow","args":[4],"attempt":1,"awaited":false,"line":33}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFDYZM79BBMJNAYT4250', 1, '[{"at":1796637408702,"type":"started","input":{"id":7,"pause":"2m"}},{"at":1796637408702,"type":"callStarted","callId":"01M97YYFDYZM79BBMJNAYT4250-1","activity":"RetryPrepare","args":[7],"attempt":1,"awaited":false,"line":45}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFDYZM79BBMJNAYT4250', 3, '[{"at":1796637408742,"type":"callFailed","callId":"01M97YYFDYZM79BBMJNAYT4250-2","activity":"RetryFlaky","attempt":1,"error":"connection reset","retryAt":1796637497580}]', '{"event":{"type":"callFailed","call":2,"attempt":1,"error":"connection reset","retryable":true},"jitter":[0.4806447130433019]}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFFNKPVXG1F3HDHZ96AG', 1, '[{"at":1796637408757,"type":"started","input":{"pauses":["2m","1s","1s"]}},{"at":1796637408757,"type":"callStarted","callId":"01M97YYFFNKPVXG1F3HDHZ96AG-1","activity":"PollStatus","args":[0],"attempt":1,"awaited":false,"line":54}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFH8GWDJ9E4BF6V1BYD9', 2, '[{"at":1796637408823,"type":"callCompleted","callId":"01M97YYFH8GWDJ9E4BF6V1BYD9-1","activity":"SagaReserve","attempt":1,"value":{"ref":"r5"},"durationMs":15,"how":"returned"},{"at":1796637408823,"type":"callStarted","callId":"01M97YYFH8GWDJ9E4BF6V1BYD9-2","activity":"SagaDecide","args":["r5"],"attempt":1,"awaited":true,"line":88}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFK4XQDJVEB0BB3H5TKT', 2, '[{"at":1796637408885,"type":"callCompleted","callId":"01M97YYFK4XQDJVEB0BB3H5TKT-1","activity":"ForkInventory","attempt":1,"value":{"reserved":5},"durationMs":17,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYF52DFDS48RY94QF1PQ8', 4, '[{"at":1796637408480,"type":"callCompleted","callId":"01M97YYF52DFDS48RY94QF1PQ8-1","activity":"RepairFetch","attempt":2,"value":"fetched","durationMs":62,"how":"returned"},{"at":1796637408480,"type":"completed","result":{"fetched":"fetched"}}]', '{"event":{"type":"callCompleted","call":1,"attempt":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYF7H08TMBAPAPTAZJXNX', 1, '[{"at":1796637408497,"type":"started","input":{"id":5}},{"at":1796637408497,"type":"callStarted","callId":"01M97YYF7H08TMBAPAPTAZJXNX-1","activity":"ForkInventory","args":[5],"attempt":1,"awaited":false,"line":9},{"at":1796637408497,"type":"callStarted","callId":"01M97YYF7H08TMBAPAPTAZJXNX-2","activity":"ForkPayment","args":[5],"attempt":1,"awaited":false,"line":10},{"at":1796637408497,"type":"callStarted","callId":"01M97YYF7H08TMBAPAPTAZJXNX-3","activity":"ForkAddress","args":[5],"attempt":1,"awaited":false,"line":11}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFA35FC0JSVR9PVMQHGH', 1, '[{"at":1796637408579,"type":"started","input":{"key":"control"}},{"at":1796637408579,"type":"callStarted","callId":"01M97YYFA35FC0JSVR9PVMQHGH-1","activity":"machine:GoldenTally.Add","args":["control",{"n":1}],"attempt":1,"awaited":false,"line":30},{"at":1796637408579,"type":"callCompleted","callId":"01M97YYFA35FC0JSVR9PVMQHGH-1","activity":"machine:GoldenTally.Add","attempt":1,"value":{"key":"control","state":{"total":1},"version":1},"durationMs":0,"how":"returned"},{"at":1796637408579,"type":"callStarted","callId":"01M97YYFA35FC0JSVR9PVMQHGH-2","activity":"TallyApprove","args":[1],"attempt":1,"awaited":true,"line":31}]', '{"steps":[{"entries":2,"cause":{}},{"entries":2,"cause":{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}}]}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFA3SP2PAYGCKZJBCDQZ', 1, '[{"at":1796637408579,"type":"started","input":{"machine":"GoldenTally","key":"control","seq":1,"command":"Add","commandId":"01M97YYFA35FC0JSVR9PVMQHGH-1","state":{},"input":{"n":1}}},{"at":1796637408579,"type":"completed","result":{"ok":true,"state":{"total":1}}}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFB3457FBTWHGG2XZEZ9', 1, '[{"at":1796637408611,"type":"started","input":{"machine":"GoldenTally","key":"control","seq":2,"command":"Add","commandId":"01M97YYFA35FC0JSVR9PVMQHGH-3","state":{"total":1},"input":{"n":41}}},{"at":1796637408611,"type":"completed","result":{"ok":true,"state":{"total":42}}}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFA35FC0JSVR9PVMQHGH', 2, '[{"at":1796637408611,"type":"callCompleted","callId":"01M97YYFA35FC0JSVR9PVMQHGH-2","activity":"TallyApprove","attempt":1,"value":{"n":41},"durationMs":32,"how":"callback"},{"at":1796637408611,"type":"callStarted","callId":"01M97YYFA35FC0JSVR9PVMQHGH-3","activity":"machine:GoldenTally.Add","args":["control",{"n":41}],"attempt":1,"awaited":false,"line":32},{"at":1796637408611,"type":"callCompleted","callId":"01M97YYFA35FC0JSVR9PVMQHGH-3","activity":"machine:GoldenTally.Add","attempt":1,"value":{"key":"control","state":{"total":42},"version":2},"durationMs":0,"how":"returned"},{"at":1796637408611,"type":"completed","result":{"first":1,"second":42,"version":2}}]', '{"steps":[{"entries":2,"cause":{"event":{"type":"callback","call":2,"value":null},"valueIn":0}},{"entries":2,"cause":{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}}]}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFBWTKYZMANYT495062R', 1, '[{"at":1796637408636,"type":"started","input":{"items":["a","b","c"]}},{"at":1796637408636,"type":"callStarted","callId":"01M97YYFBWTKYZMANYT495062R-1","activity":"LoopApprove","args":["a"],"attempt":1,"awaited":true,"line":13}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFD0EGW62PTMRG4PZJQD', 2, '[{"at":1796637408688,"type":"callCompleted","callId":"01M97YYFD0EGW62PTMRG4PZJQD-1","activity":"FanoutWork","attempt":1,"value":"w1","durationMs":16,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFDYZM79BBMJNAYT4250', 2, '[{"at":1796637408716,"type":"callCompleted","callId":"01M97YYFDYZM79BBMJNAYT4250-1","activity":"RetryPrepare","attempt":1,"value":{"prepared":7},"durationMs":14,"how":"returned"},{"at":1796637408716,"type":"callStarted","callId":"01M97YYFDYZM79BBMJNAYT4250-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":1,"awaited":false,"line":46}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFFNKPVXG1F3HDHZ96AG', 2, '[{"at":1796637408773,"type":"callCompleted","callId":"01M97YYFFNKPVXG1F3HDHZ96AG-1","activity":"PollStatus","attempt":1,"value":"pending","durationMs":16,"how":"returned"},{"at":1796637408773,"type":"timerStarted","until":1796637528773}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFGKE1MCXE3CCMG2P5MF', 1, '[{"at":1796637408787,"type":"started","input":{"id":9}},{"at":1796637408787,"type":"childStarted","runId":"01M97YYFGKEFBTVTYWXJA5DHZN","flow":"SideJob"},{"at":1796637408787,"type":"childStarted","runId":"01M97YYFGKX5ABTB4CFG7R5VRE","flow":"ChildApproval"}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFGKEFBTVTYWXJA5DHZN', 1, '[{"at":1796637408787,"type":"started","input":{"input":{"id":9}}},{"at":1796637408787,"type":"callStarted","callId":"01M97YYFGKEFBTVTYWXJA5DHZN-1","activity":"SideWork","args":[9],"attempt":1,"awaited":false,"line":68}]', '{"child":{"func":13,"args":[{"id":9}],"captures":[],"input":{"input":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFGKX5ABTB4CFG7R5VRE', 1, '[{"at":1796637408787,"type":"started","input":{"req":{"id":9}}},{"at":1796637408787,"type":"callStarted","callId":"01M97YYFGKX5ABTB4CFG7R5VRE-1","activity":"ChildSignoff","args":[9],"attempt":1,"awaited":true,"line":3}]', '{"child":{"func":8,"args":[{"id":9}],"captures":[],"input":{"req":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFH8GWDJ9E4BF6V1BYD9', 1, '[{"at":1796637408808,"type":"started","input":{"id":5}},{"at":1796637408808,"type":"callStarted","callId":"01M97YYFH8GWDJ9E4BF6V1BYD9-1","activity":"SagaReserve","args":[5],"attempt":1,"awaited":false,"line":84}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFJ8NXMY0XWMCP0B29VT', 1, '[{"at":1796637408840,"type":"started","input":{"id":3}},{"at":1796637408840,"type":"callStarted","callId":"01M97YYFJ8NXMY0XWMCP0B29VT-1","activity":"RepairFetch","args":[3],"attempt":1,"awaited":false,"line":98}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFJ8NXMY0XWMCP0B29VT', 2, '[{"at":1796637408855,"type":"callFailed","callId":"01M97YYFJ8NXMY0XWMCP0B29VT-1","activity":"RepairFetch","attempt":1,"error":"not found","retryAt":null},{"at":1796637408855,"type":"failed","error":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}]', '{"event":{"type":"callFailed","call":1,"attempt":1,"error":"not found","retryable":false},"jitter":[0.17914771337751545]}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFK4XQDJVEB0BB3H5TKT', 1, '[{"at":1796637408868,"type":"started","input":{"id":5}},{"at":1796637408868,"type":"callStarted","callId":"01M97YYFK4XQDJVEB0BB3H5TKT-1","activity":"ForkInventory","args":[5],"attempt":1,"awaited":false,"line":9},{"at":1796637408868,"type":"callStarted","callId":"01M97YYFK4XQDJVEB0BB3H5TKT-2","activity":"ForkPayment","args":[5],"attempt":1,"awaited":false,"line":10},{"at":1796637408868,"type":"callStarted","callId":"01M97YYFK4XQDJVEB0BB3H5TKT-3","activity":"ForkAddress","args":[5],"attempt":1,"awaited":false,"line":11}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFM1PZRNAMJ09XT7YN7T', 1, '[{"at":1796637408897,"type":"started","input":{"machine":"GoldenTally","key":"golden","seq":1,"command":"Add","commandId":"01M97YYFM1MRAGX8D83X3SC4TP-1","state":{},"input":{"n":1}}},{"at":1796637408897,"type":"completed","result":{"ok":true,"state":{"total":1}}}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M97YYFM1MRAGX8D83X3SC4TP', 1, '[{"at":1796637408897,"type":"started","input":{"key":"golden"}},{"at":1796637408897,"type":"callStarted","callId":"01M97YYFM1MRAGX8D83X3SC4TP-1","activity":"machine:GoldenTally.Add","args":["golden",{"n":1}],"attempt":1,"awaited":false,"line":30},{"at":1796637408897,"type":"callCompleted","callId":"01M97YYFM1MRAGX8D83X3SC4TP-1","activity":"machine:GoldenTally.Add","attempt":1,"value":{"key":"golden","state":{"total":1},"version":1},"durationMs":0,"how":"returned"},{"at":1796637408897,"type":"callStarted","callId":"01M97YYFM1MRAGX8D83X3SC4TP-2","activity":"TallyApprove","args":[1],"attempt":1,"awaited":true,"line":31}]', '{"steps":[{"entries":2,"cause":{}},{"entries":2,"cause":{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}}]}');


--
-- Data for Name: machine_commands; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.machine_commands VALUES ('GoldenTally', 'control', 1, '01M97YYFA35FC0JSVR9PVMQHGH-1', 'applied', '{"machine":"GoldenTally","key":"control","seq":1,"command":"Add","input":{"n":1},"commandId":"01M97YYFA35FC0JSVR9PVMQHGH-1","status":"applied","runId":"01M97YYFA3SP2PAYGCKZJBCDQZ","version":1,"state":{"total":1},"error":null,"replies":[{"run_id":"01M97YYFA35FC0JSVR9PVMQHGH","call":1,"attempt":1}],"createdAt":1796637408579,"finishedAt":1796637408579}');
INSERT INTO weft_golden_src.machine_commands VALUES ('GoldenTally', 'control', 2, '01M97YYFA35FC0JSVR9PVMQHGH-3', 'applied', '{"machine":"GoldenTally","key":"control","seq":2,"command":"Add","input":{"n":41},"commandId":"01M97YYFA35FC0JSVR9PVMQHGH-3","status":"applied","runId":"01M97YYFB3457FBTWHGG2XZEZ9","version":2,"state":{"total":42},"error":null,"replies":[{"run_id":"01M97YYFA35FC0JSVR9PVMQHGH","call":3,"attempt":1}],"createdAt":1796637408611,"finishedAt":1796637408611}');
INSERT INTO weft_golden_src.machine_commands VALUES ('GoldenTally', 'golden', 1, '01M97YYFM1MRAGX8D83X3SC4TP-1', 'applied', '{"machine":"GoldenTally","key":"golden","seq":1,"command":"Add","input":{"n":1},"commandId":"01M97YYFM1MRAGX8D83X3SC4TP-1","status":"applied","runId":"01M97YYFM1PZRNAMJ09XT7YN7T","version":1,"state":{"total":1},"error":null,"replies":[{"run_id":"01M97YYFM1MRAGX8D83X3SC4TP","call":1,"attempt":1}],"createdAt":1796637408897,"finishedAt":1796637408897}');


--
-- Data for Name: machine_events; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.machine_events VALUES (1, '{"type":"created","machine":"GoldenTally","key":"control","version":1,"command":"Add","commandId":"01M97YYFA35FC0JSVR9PVMQHGH-1","state":{"total":1},"at":1796637408579}');
INSERT INTO weft_golden_src.machine_events VALUES (2, '{"type":"updated","machine":"GoldenTally","key":"control","version":2,"command":"Add","commandId":"01M97YYFA35FC0JSVR9PVMQHGH-3","state":{"total":42},"at":1796637408611}');
INSERT INTO weft_golden_src.machine_events VALUES (3, '{"type":"created","machine":"GoldenTally","key":"golden","version":1,"command":"Add","commandId":"01M97YYFM1MRAGX8D83X3SC4TP-1","state":{"total":1},"at":1796637408897}');


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

INSERT INTO weft_golden_src.machine_instances VALUES ('GoldenTally', 'control', '{"total":42}', 2, 3, 2, true, 1796637408579, 1796637408611, NULL, 1796637418611, 2);
INSERT INTO weft_golden_src.machine_instances VALUES ('GoldenTally', 'golden', '{"total":1}', 1, 2, 1, true, 1796637408897, 1796637408897, NULL, 1796637418897, 1);


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

INSERT INTO weft_golden_src.pollers VALUES ('FanoutSlow', 'golden', 'golden-maker-f90375bf', 1796637395040);
INSERT INTO weft_golden_src.pollers VALUES ('FanoutSummarize', 'golden', 'golden-maker-f90375bf', 1796637395101);
INSERT INTO weft_golden_src.pollers VALUES ('PollStatus', 'golden', 'golden-maker-f90375bf', 1796637404663);
INSERT INTO weft_golden_src.pollers VALUES ('SideWork', 'golden', 'golden-maker-f90375bf', 1796637406073);
INSERT INTO weft_golden_src.pollers VALUES ('SagaReserve', 'golden', 'golden-maker-f90375bf', 1796637408343);
INSERT INTO weft_golden_src.pollers VALUES ('SagaRelease', 'golden', 'golden-maker-f90375bf', 1796637408392);
INSERT INTO weft_golden_src.pollers VALUES ('RepairFetch', 'golden', 'golden-maker-f90375bf', 1796637408424);
INSERT INTO weft_golden_src.pollers VALUES ('ForkInventory', 'golden', 'golden-maker-f90375bf', 1796637408504);
INSERT INTO weft_golden_src.pollers VALUES ('ForkAddress', 'golden', 'golden-maker-f90375bf', 1796637408527);
INSERT INTO weft_golden_src.pollers VALUES ('ForkPayment', 'golden', 'golden-maker-f90375bf', 1796637408552);
INSERT INTO weft_golden_src.pollers VALUES ('FanoutWork', 'golden', 'golden-maker-f90375bf', 1796637408679);
INSERT INTO weft_golden_src.pollers VALUES ('RetryPrepare', 'golden', 'golden-maker-f90375bf', 1796637408707);
INSERT INTO weft_golden_src.pollers VALUES ('RetryFlaky', 'golden', 'golden-maker-f90375bf', 1796637408732);


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

INSERT INTO weft_golden_src.runs VALUES ('01M97YXX60E81PMHJZQEQMNQBW', 'Fanout', 1, 'completed', '{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"5s"}', '{"results":[{"id":1,"work":"w1"},{"id":2,"confirmed":true},{"id":3,"slept":true},{"id":4,"slow":"s4"}],"summary":{"count":4}}', NULL, '[]', NULL, NULL, NULL, 1796637390016, 1796637395112, 6, '\x010b13804181da30314d39375958583630453831504d484a5a5145514d4e51425782428340840b00850a008645870b008845890b008a0b008b408c0b008d418e0b008f0c40900b02c7726573756c74730a040b028141c4776f726bc277310b028142c9636f6e6669726d6564030b028143c5736c657074030b028144c4736c6f77c27334c773756d6d6172790b01c5636f756e744491046b9345', NULL, 1796637405079, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M97YY25X5D8E43C09KC5DQ1C', 'RetryPending', 1, 'completed', '{"id":7,"pause":"5s"}', '{"prepared":{"prepared":7},"flaky":"flaky-ok"}', NULL, '[]', NULL, NULL, NULL, 1796637395133, 1796637399575, 5, '\x010b13804181da30314d393759593235583544384534334330394b43354451314382438340840b00850a008641870b008843890b008a0b008b408c0b008d408e0b008f0c40900b02c870726570617265640b01080147c5666c616b79c8666c616b792d6f6b91529344', NULL, 1796637409555, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97YXWYAS7FPWEPC22WDGKYF', 'LoopAwait', 1, 'completed', '{"items":["a","b","c"]}', '{"total":111,"seen":[{"item":"a","points":1},{"item":"b","points":10},{"item":"c","points":100}]}', NULL, '[]', NULL, NULL, NULL, 1796637389770, 1796637389994, 4, '\x010b13804181da30314d39375958575941533746505745504332325744474b594682418340840b00850a008641870b008844890b008a0b008b408c0b008d408e0b008f0c40900b02c5746f74616c046fc47365656e0a030b02c46974656dc161c6706f696e7473410b02c46974656dc162c6706f696e74734a0b02c46974656dc163c6706f696e747304649104479343', NULL, 1796637399994, 4);
INSERT INTO weft_golden_src.runs VALUES ('01M97YY6HEHZVREZBRB1T9CD7J', 'Poller', 1, 'completed', '{"pauses":["5s","1s","1s"]}', '{"polls":["pending","pending","done"]}', NULL, '[]', NULL, NULL, NULL, 1796637399598, 1796637406031, 6, '\x010b13804181da30314d39375959364845485a5652455a4252423154394344374a82448340840b00850a008641870b008844890b008a0b008b408c0b008d408e0b008f0c40900b01c5706f6c6c730a03c770656e64696e67c770656e64696e67c4646f6e65917b9345', NULL, 1796637416016, 3);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYCV14H1CZE64BVKSW9FC', 'ChildApproval', 1, 'completed', '{"req":{"id":9}}', '{"approved":true,"id":9}', NULL, '[]', '01M97YYCV1WK688SVQVWF332ZV', NULL, NULL, 1796637406049, 1796637406143, 2, '\x010b13804181da30314d39375959435631344831435a45363442564b535739464382488341840b00850a008641870b008842890b008a0b008b408c0b008d408e0b008f0c40900b02c8617070726f766564038149914d9341', NULL, 1796637416143, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYCV1PKFNYDAV9AR2Y12X', 'SideJob', 1, 'completed', '{"input":{"id":9}}', '{"side":"side-ok"}', NULL, '[]', '01M97YYCV1WK688SVQVWF332ZV', NULL, NULL, 1796637406049, 1796637406092, 2, '\x010b13804181da30314d39375959435631504b464e594441563941523259313258824d8341840b00850a008641870b008842890b008a0b008b408c0b008d408e0b008f0c40900b01c473696465c7736964652d6f6b91489341', NULL, 1796637416049, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYCV1WK688SVQVWF332ZV', 'Parent', 1, 'completed', '{"id":9}', '{"child":{"approved":true,"id":9},"side":{"side":"side-ok"},"n":2}', NULL, '[]', NULL, NULL, NULL, 1796637406049, 1796637408254, 5, '\x010b13804181da30314d39375959435631574b3638385356515657463333325a5682458340840b00850a008641870b008841890b008a0b01c1300b050c4209000a10504b464e5944415639415232593132580c43c7536964654a6f620c440b020c440c40be0b01c473696465c7736964652d6f6b0c450b04824da50a010b0181490c460a000c470b010c470b018149ba028b428c0b008d408e0b008f0c40900b039f0b02c8617070726f766564038149c4736964650b01c473696465c7736964652d6f6bc16e42916f9344', NULL, 1796637418254, 5);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYF2GD3CXV65QM2Q2EYDE', 'Saga', 1, 'completed', '{"id":5}', '{"status":"compensated","undone":["released"]}', NULL, '[]', NULL, NULL, NULL, 1796637408336, 1796637408401, 4, '\x010b13804181da30314d3937595946324744334358563635514d3251324559444582468340840b00850a008641870b008844890b008a0b008b408c0b008d408e0b008f0c40900b028fcb636f6d70656e7361746564c6756e646f6e650a01c872656c6561736564917d9343', NULL, 1796637418374, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYF52DFDS48RY94QF1PQ8', 'Repair', 1, 'completed', '{"id":3}', '{"fetched":"fetched"}', NULL, '[]', NULL, NULL, NULL, 1796637408418, 1796637408480, 4, '\x010b13804181da30314d393759594635324446445334385259393451463150513882478340840b00850a008641870b008842890b008a0b008b408c0b008d408e0b008f0c40900b01c766657463686564c76665746368656491489341', NULL, 1796637418452, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYF7H08TMBAPAPTAZJXNX', 'ForkJoin', 1, 'completed', '{"id":5}', '{"ok":false,"errors":1}', NULL, '[]', NULL, NULL, NULL, 1796637408497, 1796637408560, 4, '\x010b13804181da30314d393759594637483038544d424150415054415a4a584e5882498340840b00850a008644870b008844890b008a0b008b408c0b008d448e0b008f0c40900b02c26f6b02c66572726f727341916c9343', NULL, 1796637418497, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYFBWTKYZMANYT495062R', 'LoopAwait', 1, 'waiting', '{"items":["a","b","c"]}', NULL, NULL, '[{"kind":"activity","activity":"LoopApprove","callId":"01M97YYFBWTKYZMANYT495062R-2","callback":true,"token":"772033fda16403cf2f190e37f3976007","until":4950237408657}]', NULL, NULL, 'golden.weft:13', 1796637408636, 1796637408657, 2, '\x010b13804181da30314d39375959464257544b595a4d414e59543439353036325282418340840b01c1300b04940a010b048241984b990a070b01c56974656d730a03c161c162c163410a010b02c46974656dc161c6706f696e747341c1620b01c6706f696e7473410a03c161c162c163429a40950a00960b019c429700850a008641870b01c1320b12a309001a022d32a4cb4c6f6f70417070726f7665a50a01c162a640a741a840a940aa04e807ab04e0a712ac0480e0d489e45bad03ae02afe03737323033336664613136343033636632663139306533376633393736303037b0b5b10491fbbcffa434b20491fbbcffa434b300b40a02414a8843890b01c761776169743a320b02b40491db9189899001b90b02b9bbba428a0b008b408c0b008d408e0b008fbf9000915e9341', NULL, 1796637418657, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYFA3SP2PAYGCKZJBCDQZ', 'GoldenTally.Add', 1, 'completed', '{"machine":"GoldenTally","key":"control","seq":1,"command":"Add","commandId":"01M97YYFA35FC0JSVR9PVMQHGH-1","state":{},"input":{"n":1}}', '{"ok":true,"state":{"total":1}}', NULL, '[]', NULL, NULL, NULL, 1796637408579, 1796637408579, 1, '\x010b13804181da30314d3937595946413353503250415947434b5a4a424344515a82408340840b00850a008641870b008841890b008a0b008b408c0b008d408e0b008f0c40900b02c26f6b030c440b01c5746f74616c4191589340', NULL, 1796637418579, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYFA35FC0JSVR9PVMQHGH', 'TallyAround', 1, 'completed', '{"key":"control"}', '{"first":1,"second":42,"version":2}', NULL, '[]', NULL, NULL, NULL, 1796637408579, 1796637408611, 2, '\x010b13804181da30314d39375959464133354643304a5356523950564d51484748824a8340840b00850a008641870b008844890b008a0b008b408c0b008d408e0b008f0c40900b03c5666972737441c67365636f6e646ac776657273696f6e4291629343', NULL, 1796637418611, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYFB3457FBTWHGG2XZEZ9', 'GoldenTally.Add', 1, 'completed', '{"machine":"GoldenTally","key":"control","seq":2,"command":"Add","commandId":"01M97YYFA35FC0JSVR9PVMQHGH-3","state":{"total":1},"input":{"n":41}}', '{"ok":true,"state":{"total":42}}', NULL, '[]', NULL, NULL, NULL, 1796637408611, 1796637408611, 1, '\x010b13804181da30314d393759594642333435374642545748474732585a455a3982408340840b00850a008641870b008841890b008a0b008b408c0b008d408e0b008f0c40900b02c26f6b030c440b01c5746f74616c6a91559340', NULL, 1796637418611, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYFGKEFBTVTYWXJA5DHZN', 'SideJob', 1, 'running', '{"input":{"id":9}}', NULL, NULL, '[{"kind":"activity","activity":"SideWork","callId":"01M97YYFGKEFBTVTYWXJA5DHZN-1","callback":false,"token":null,"until":null}]', '01M97YYFGKE1MCXE3CCMG2P5MF', NULL, 'golden.weft:68', 1796637408787, 1796637408787, 1, '\x010b13804181da30314d3937595946474b4546425456545957584a413544485a4e824d8341840b01c1300b04940a010b04824d9843990a020b018149009a40950a00960b019c419700850a008641870b01c1310b12a309001a022d31a4c853696465576f726ba50a0149a640a741a840a940aa04e807ab04e0a712ac00ad02ae02af00b0b5b10493fcbcffa434b20493fcbcffa434b300b40a024d428842890b008a0b008b408c0b008d408e0b008fb5900091439340', 'golden-maker-f90375bf', 1796637418787, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYFGKE1MCXE3CCMG2P5MF', 'Parent', 1, 'waiting', '{"id":9}', NULL, NULL, '[{"kind":"child","runId":"01M97YYFGKX5ABTB4CFG7R5VRE","flow":"ChildApproval"}]', NULL, NULL, 'golden.weft:71', 1796637408787, 1796637408787, 1, '\x010b13804181da30314d3937595946474b45314d4358453343434d473250354d4682458340840b01c1300b04940a010b0482459848990a040b0181490b01c224684000009a40950a00960b019e0b029f41a0039700850a008641870b008841890b008a0b02c1300b050c4209000b0f46425456545957584a413544485a4e0c43c7536964654a6f620c440b010c44b50c450b04824da50a010b0181490c460a000c470b010c470b018149ba02c1310b050c4209000a10583541425442344346473752355652450c43cd4368696c64417070726f76616c0c440b010c44b50c450b048248a50a010b0181490c460a000c470b01c37265710b018149ba038b428c0b008d408e0b008fbf900091489340', NULL, 1796637418787, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYFGKX5ABTB4CFG7R5VRE', 'ChildApproval', 1, 'waiting', '{"req":{"id":9}}', NULL, NULL, '[{"kind":"activity","activity":"ChildSignoff","callId":"01M97YYFGKX5ABTB4CFG7R5VRE-1","callback":true,"token":"9ed4f7fde0c4b3e9b3995c50a29ad6e8","until":4950237408787}]', '01M97YYFGKE1MCXE3CCMG2P5MF', NULL, 'children.weft:3', 1796637408787, 1796637408787, 1, '\x010b13804181da30314d3937595946474b5835414254423443464737523556524582488341840b01c1300b04940a010b0482489844990a020b018149009a40950a00960b019c419700850a008641870b01c1310b12a309001a022d31a4cc4368696c645369676e6f6666a50a0149a640a741a840a940aa04e807ab04e0a712ac0480e0d489e45bad03ae02afe03965643466376664653063346233653962333939356335306132396164366538b0b5b10493fcbcffa434b20493fcbcffa434b300b40a0248438842890b01c761776169743a310b02b40493dc9189899001b90b02b9bbba418a0b008b408c0b008d408e0b008fbf900091449340', NULL, 1796637418787, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYFM1PZRNAMJ09XT7YN7T', 'GoldenTally.Add', 1, 'completed', '{"machine":"GoldenTally","key":"golden","seq":1,"command":"Add","commandId":"01M97YYFM1MRAGX8D83X3SC4TP-1","state":{},"input":{"n":1}}', '{"ok":true,"state":{"total":1}}', NULL, '[]', NULL, NULL, NULL, 1796637408897, 1796637408897, 1, '\x010b13804181da30314d39375959464d31505a524e414d4a3039585437594e375482408340840b00850a008641870b008841890b008a0b008b408c0b008d408e0b008f0c40900b02c26f6b030c440b01c5746f74616c4191589340', NULL, 1796637418897, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYFD0EGW62PTMRG4PZJQD', 'Fanout', 1, 'running', '{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"2m"}', NULL, NULL, '[{"kind":"activity","activity":"FanoutConfirm","callId":"01M97YYFD0EGW62PTMRG4PZJQD-2","callback":true,"token":"0582a7ba35aa5881df08f6d6246c1586","until":4950237408672},{"kind":"timer","until":1796637528672},{"kind":"activity","activity":"FanoutSlow","callId":"01M97YYFD0EGW62PTMRG4PZJQD-3","callback":false,"token":null,"until":null}]', NULL, NULL, 'golden.weft:25', 1796637408672, 1796637408688, 2, '\x010b13804181da30314d39375959464430454757363250544d524734505a4a514482428340840b04c1300b04940a010b0482429845990a030b02c56974656d730a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f77c57061757365c2326d00009a40950a00960b01a1409700c1320b04940a010b04824c9849990a050b028142b9b70000000b02c56974656d730a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f77c57061757365c2326d9a40950a00960b019c42970a024041c1330b04940a010b04824c985a990a050b028143b9bd0000000b02c56974656d730a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f77c57061757365c2326d9a40950a00960b019dc7736c6565703a33970a024042c1340b04940a010b04824c986a990a050b028144b9c4736c6f770000000b02c56974656d730a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f77c57061757365c2326d9a40950a00960b019c43970a024043850a008645870b02c1320b12a309001a022d32a4cd46616e6f7574436f6e6669726da50a0142a642a741a840a940aa04e807ab04e0a712ac0480e0d489e45bad03ae02afe03035383261376261333561613538383164663038663664363234366331353836b0b5b104a0fbbcffa434b204a0fbbcffa434b300b40a024c48c1330b12a309011b0133a4ca46616e6f7574536c6f77a50a0144a644a741a840a940aa04e807ab04e0a712ac00ad02ae02af00b0b5b104a0fbbcffa434b204a0fbbcffa434b300b40a024c698844890b02c761776169743a320b02b404a0db9189899001b90b02b9bbba42c7736c6565703a330b02b404e0a4c4ffa434b90b03b9bda643be008a0b008b408c0b01c1300b040c48c745786563757465a6400c490a040b010c4c0b028141c4776f726bc277310b010c4b420b010c4b430b010c4b440c4a0a020a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f770b02c224634c800a010b02c56974656d730a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f77c57061757365c2326d8d418e0b008fb590009104479341', 'golden-maker-f90375bf', 1796637418672, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYFDYZM79BBMJNAYT4250', 'RetryPending', 1, 'running', '{"id":7,"pause":"2m"}', NULL, NULL, '[{"kind":"activity","activity":"RetryFlaky","callId":"01M97YYFDYZM79BBMJNAYT4250-2","callback":false,"token":null,"until":null}]', NULL, NULL, 'golden.weft:46', 1796637408702, 1796637408742, 3, '\x010b13804181da30314d393759594644595a4d373942424d4a4e4159543432353082438340840b01c1300b04940a010b048243984b990a030b028147c57061757365c2326d0b01c8707265706172656447009a40950a00960b019c429700850a008641870b01c1320b12a309001a022d32a4ca5265747279466c616b79a50a010b01080147a640a741a840a943aa04c0a907ab04c0a907ac00ad02ae02af00b0b6b104ccfbbcffa434b204ccfbbcffa434b3d0636f6e6e656374696f6e207265736574b40a02434a8843890b01c96261636b6f66663a320b02b404ecb1c2ffa434b90b02b9b6ba428a0b008b408c0b008d408e0b008fb59000914b9342', 'golden-maker-f90375bf', 1796637418702, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYFFNKPVXG1F3HDHZ96AG', 'Poller', 1, 'waiting', '{"pauses":["2m","1s","1s"]}', NULL, NULL, '[{"kind":"timer","until":1796637528773}]', NULL, NULL, 'golden.weft:59', 1796637408757, 1796637408773, 2, '\x010b13804181da30314d3937595946464e4b505658473146334844485a3936414782448340840b01c1300b04940a010b0482449859990a060b01c67061757365730a03c2326dc23173c231730a01c770656e64696e6740c770656e64696e670a03404142419a40950a00960b019dc7736c6565703a309700850a008641870b008842890b01c7736c6565703a300b02b404c5a5c4ffa434b90b03b9bda640be008a0b008b408c0b008d408e0b008fbf900091579341', NULL, 1796637418757, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYFH8GWDJ9E4BF6V1BYD9', 'Saga', 1, 'waiting', '{"id":5}', NULL, NULL, '[{"kind":"activity","activity":"SagaDecide","callId":"01M97YYFH8GWDJ9E4BF6V1BYD9-2","callback":true,"token":"5e8bc4411ca0fa61cfee06cd6015bd53","until":4950237408823}]', NULL, NULL, 'golden.weft:88', 1796637408808, 1796637408823, 2, '\x010b13804181da30314d393759594648384757444a39453442463656314259443982468340840b01c1300b04940a010b048246984f990a050b0181450a010b02c224634e800a010b01c3726566c272350b01c3726566c2723500009a40950a00960b019c429700850a008641870b01c1320b12a309001a022d32a4ca53616761446563696465a50a01c27235a640a741a840a940aa04e807ab04e0a712ac0480e0d489e45bad03ae02afe03565386263343431316361306661363163666565303663643630313562643533b0b5b104b7fcbcffa434b204b7fcbcffa434b300b40a02464e8843890b01c761776169743a320b02b404b7dc9189899001b90b02b9bbba428a0b008b408c0b008d408e0b008fbf9000914e9341', NULL, 1796637418808, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYFJ8NXMY0XWMCP0B29VT', 'Repair', 1, 'failed', '{"id":3}', NULL, '{"message":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}', '[]', NULL, NULL, 'golden.weft:98', 1796637408840, 1796637408855, 2, '\x010b13804181da30314d39375959464a384e584d593058574d435030423239565482478340840b01c1300b04940a010b0482479843990a020b018143009a40950a0096a29700850a008641870b01c1310b12a309001a022d31a4cb5265706169724665746368a50a0143a640a741a840a940aa04e807ab04e0a712ac00ad02ae02af00b0b8b104c8fcbcffa434b204c8fcbcffa434b3c96e6f7420666f756e64b40a0247428842890b008a0b008b408c0b008d408e0b01c1300b03b90b02b9baba410c4d09020b12206661696c65643a206e6f7420666f756e640c4e0b04c466696c65cb676f6c64656e2e776566740c560462c3636f6c4fca736f757263654c696e65df66657463686564203d20526570616972466574636828696e7075742e6964298fb8900091439341', NULL, 1796637418840, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYFK4XQDJVEB0BB3H5TKT', 'ForkJoin', 1, 'running', '{"id":5}', NULL, NULL, '[{"kind":"activity","activity":"ForkPayment","callId":"01M97YYFK4XQDJVEB0BB3H5TKT-2","callback":false,"token":null,"until":null},{"kind":"activity","activity":"ForkAddress","callId":"01M97YYFK4XQDJVEB0BB3H5TKT-3","callback":false,"token":null,"until":null}]', NULL, NULL, 'edition2.weft:10', 1796637408868, 1796637408885, 2, '\x010b13804181da30314d39375959464b345851444a564542304242334835544b5482498340840b03c1300b04940a010b0482499854990a050b018145000000009a40950a00960b01a1439700c1320b04940a010b0482509843990a010b0181459a40950a00960b019c42970a024341c1330b04940a010b0482519843990a010b0181459a40950a00960b019c43970a024342850a008644870b02c1320b12a309001a022d32a4cb466f726b5061796d656e74a50a0145a642a741a840a940aa04e807ab04e0a712ac00ad02ae03af00b0b5b104e4fcbcffa434b204e4fcbcffa434b300b40a025042c1330b12a309011b0133a4cb466f726b41646472657373a50a0145a643a741a840a940aa04e807ab04e0a712ac00ad02ae03af00b0b5b104e4fcbcffa434b204e4fcbcffa434b300b40a0251428844890b008a0b008b408c0b01c1330b040c48c3416c6ca6400c490a030b010c4c0b01c87265736572766564450b010c4b420b010c4b430c4a0a010a030b01c22462400b01c22462410b01c22462428d448e0b008fb59000915e9341', 'golden-maker-f90375bf', 1796637418868, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M97YYFM1MRAGX8D83X3SC4TP', 'TallyAround', 1, 'waiting', '{"key":"golden"}', NULL, NULL, '[{"kind":"activity","activity":"TallyApprove","callId":"01M97YYFM1MRAGX8D83X3SC4TP-2","callback":true,"token":"e458a378818a8133491103223aac3341","until":4950237408897}]', NULL, NULL, 'edition2.weft:31', 1796637408897, 1796637408897, 1, '\x010b13804181da30314d39375959464d314d524147583844383358335343345450824a8340840b01c1300b04940a010b04824a984c990a040b010c5bc6676f6c64656e0b030c5bc6676f6c64656e0c440b01c5746f74616c41c776657273696f6e4100009a40950a00960b019c429700850a008641870b01c1320b12a309001a022d32a4cc54616c6c79417070726f7665a50a0141a640a741a840a940aa04e807ab04e0a712ac0480e0d489e45bad03ae02afe06534353861333738383138613831333334393131303332323361616333333431b0b5b10481fdbcffa434b20481fdbcffa434b300b40a024a4b8843890b01c761776169743a320b02b40481dd9189899001b90b02b9bbba428a0b008b408c0b008d408e0b008fbf9000914c9341', NULL, 1796637418897, 1);


--
-- Data for Name: schedules; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.schema_migrations VALUES (1, 'runs, journal, timers, tasks, tokens, deployments', '2026-12-07 09:56:29.530932+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (2, 'clusters: run leases, the inbox, task leases', '2026-12-07 09:56:29.530932+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (3, 'tasks: the node holding the run, leased through it first', '2026-12-07 09:56:29.530932+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (4, 'stored programs; runs parked because a build could not read them', '2026-12-07 09:56:29.530932+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (5, 'machines: instances, commands, the index of states, events, the instance inbox', '2026-12-07 09:56:29.530932+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (6, 'operating at scale: run counts, list indexes, forks, step causes, audit log', '2026-12-07 09:56:29.530932+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (7, 'events and schedules that start flows: each event id taken once, schedules'' rows by revision', '2026-12-07 09:56:29.530932+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (8, 'pull sources'' cursors', '2026-12-07 09:56:29.530932+00');


--
-- Data for Name: source_cursors; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: tasks; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.tasks VALUES ('01M97YYFBWTKYZMANYT495062R-2', '01M97YYFBWTKYZMANYT495062R', '{"callId":"01M97YYFBWTKYZMANYT495062R-2","runId":"01M97YYFBWTKYZMANYT495062R","call":2,"activity":"LoopApprove","args":["b"],"attempt":1,"deadline":null,"callbackToken":"772033fda16403cf2f190e37f3976007"}', 'LoopApprove', NULL, 1796637408707, 'golden-maker-f90375bf');
INSERT INTO weft_golden_src.tasks VALUES ('01M97YYFD0EGW62PTMRG4PZJQD-2', '01M97YYFD0EGW62PTMRG4PZJQD', '{"callId":"01M97YYFD0EGW62PTMRG4PZJQD-2","runId":"01M97YYFD0EGW62PTMRG4PZJQD","call":2,"activity":"FanoutConfirm","args":[2],"attempt":1,"deadline":null,"callbackToken":"0582a7ba35aa5881df08f6d6246c1586"}', 'FanoutConfirm', NULL, 1796637408722, 'golden-maker-f90375bf');
INSERT INTO weft_golden_src.tasks VALUES ('01M97YYFD0EGW62PTMRG4PZJQD-3', '01M97YYFD0EGW62PTMRG4PZJQD', '{"callId":"01M97YYFD0EGW62PTMRG4PZJQD-3","runId":"01M97YYFD0EGW62PTMRG4PZJQD","call":3,"activity":"FanoutSlow","args":[4],"attempt":1,"deadline":null,"callbackToken":null}', 'FanoutSlow', NULL, 1796637408722, 'golden-maker-f90375bf');
INSERT INTO weft_golden_src.tasks VALUES ('01M97YYFH8GWDJ9E4BF6V1BYD9-2', '01M97YYFH8GWDJ9E4BF6V1BYD9', '{"callId":"01M97YYFH8GWDJ9E4BF6V1BYD9-2","runId":"01M97YYFH8GWDJ9E4BF6V1BYD9","call":2,"activity":"SagaDecide","args":["r5"],"attempt":1,"deadline":null,"callbackToken":"5e8bc4411ca0fa61cfee06cd6015bd53"}', 'SagaDecide', NULL, 1796637408873, 'golden-maker-f90375bf');
INSERT INTO weft_golden_src.tasks VALUES ('01M97YYFGKEFBTVTYWXJA5DHZN-1', '01M97YYFGKEFBTVTYWXJA5DHZN', '{"callId":"01M97YYFGKEFBTVTYWXJA5DHZN-1","runId":"01M97YYFGKEFBTVTYWXJA5DHZN","call":1,"activity":"SideWork","args":[9],"attempt":1,"deadline":null,"callbackToken":null}', 'SideWork', NULL, 1796637408837, 'golden-maker-f90375bf');
INSERT INTO weft_golden_src.tasks VALUES ('01M97YYFGKX5ABTB4CFG7R5VRE-1', '01M97YYFGKX5ABTB4CFG7R5VRE', '{"callId":"01M97YYFGKX5ABTB4CFG7R5VRE-1","runId":"01M97YYFGKX5ABTB4CFG7R5VRE","call":1,"activity":"ChildSignoff","args":[9],"attempt":1,"deadline":null,"callbackToken":"9ed4f7fde0c4b3e9b3995c50a29ad6e8"}', 'ChildSignoff', NULL, 1796637408837, 'golden-maker-f90375bf');
INSERT INTO weft_golden_src.tasks VALUES ('01M97YYFK4XQDJVEB0BB3H5TKT-2', '01M97YYFK4XQDJVEB0BB3H5TKT', '{"callId":"01M97YYFK4XQDJVEB0BB3H5TKT-2","runId":"01M97YYFK4XQDJVEB0BB3H5TKT","call":2,"activity":"ForkPayment","args":[5],"attempt":1,"deadline":null,"callbackToken":null}', 'ForkPayment', NULL, 1796637408918, 'golden-maker-f90375bf');
INSERT INTO weft_golden_src.tasks VALUES ('01M97YYFK4XQDJVEB0BB3H5TKT-3', '01M97YYFK4XQDJVEB0BB3H5TKT', '{"callId":"01M97YYFK4XQDJVEB0BB3H5TKT-3","runId":"01M97YYFK4XQDJVEB0BB3H5TKT","call":3,"activity":"ForkAddress","args":[5],"attempt":1,"deadline":null,"callbackToken":null}', 'ForkAddress', NULL, 1796637408918, 'golden-maker-f90375bf');
INSERT INTO weft_golden_src.tasks VALUES ('01M97YYFM1MRAGX8D83X3SC4TP-2', '01M97YYFM1MRAGX8D83X3SC4TP', '{"callId":"01M97YYFM1MRAGX8D83X3SC4TP-2","runId":"01M97YYFM1MRAGX8D83X3SC4TP","call":2,"activity":"TallyApprove","args":[1],"attempt":1,"deadline":null,"callbackToken":"e458a378818a8133491103223aac3341"}', 'TallyApprove', NULL, 1796637408947, 'golden-maker-f90375bf');


--
-- Data for Name: timers; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.timers VALUES ('01M97YYFBWTKYZMANYT495062R', 'await:2', 4950237408657);
INSERT INTO weft_golden_src.timers VALUES ('01M97YYFD0EGW62PTMRG4PZJQD', 'await:2', 4950237408672);
INSERT INTO weft_golden_src.timers VALUES ('01M97YYFD0EGW62PTMRG4PZJQD', 'sleep:3', 1796637528672);
INSERT INTO weft_golden_src.timers VALUES ('01M97YYFDYZM79BBMJNAYT4250', 'backoff:2', 1796637497580);
INSERT INTO weft_golden_src.timers VALUES ('01M97YYFFNKPVXG1F3HDHZ96AG', 'sleep:0', 1796637528773);
INSERT INTO weft_golden_src.timers VALUES ('01M97YYFGKX5ABTB4CFG7R5VRE', 'await:1', 4950237408787);
INSERT INTO weft_golden_src.timers VALUES ('01M97YYFH8GWDJ9E4BF6V1BYD9', 'await:2', 4950237408823);
INSERT INTO weft_golden_src.timers VALUES ('01M97YYFM1MRAGX8D83X3SC4TP', 'await:2', 4950237408897);


--
-- Data for Name: tokens; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.tokens VALUES ('2dbd28ae25677721d3288be9ca52f3f5', '01M97YXWYAS7FPWEPC22WDGKYF', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('f35f603c955d59367666a5059bbb44b0', '01M97YXWYAS7FPWEPC22WDGKYF', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('2e36e059a75b0693f262839da42dfd28', '01M97YXWYAS7FPWEPC22WDGKYF', 3, false);
INSERT INTO weft_golden_src.tokens VALUES ('5a0ea05ea43d29f8d5d21adf363c090c', '01M97YXX60E81PMHJZQEQMNQBW', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('59c38a112a98b4f689e5da626b7d2608', '01M97YYCV14H1CZE64BVKSW9FC', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('634e6b78dafa1a14a1a3f69b644888b6', '01M97YYF2GD3CXV65QM2Q2EYDE', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('236dd4746295056f1bc6b41874ce9ac4', '01M97YYFA35FC0JSVR9PVMQHGH', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('772033fda16403cf2f190e37f3976007', '01M97YYFBWTKYZMANYT495062R', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('09f6c51ad5272852e3d6391869eca53d', '01M97YYFBWTKYZMANYT495062R', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('0582a7ba35aa5881df08f6d6246c1586', '01M97YYFD0EGW62PTMRG4PZJQD', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('9ed4f7fde0c4b3e9b3995c50a29ad6e8', '01M97YYFGKX5ABTB4CFG7R5VRE', 1, true);
INSERT INTO weft_golden_src.tokens VALUES ('5e8bc4411ca0fa61cfee06cd6015bd53', '01M97YYFH8GWDJ9E4BF6V1BYD9', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('e458a378818a8133491103223aac3341', '01M97YYFM1MRAGX8D83X3SC4TP', 2, true);


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


