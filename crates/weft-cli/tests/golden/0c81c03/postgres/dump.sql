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

INSERT INTO weft_golden_src.audit VALUES (1, 1796653362877, 'api', 'retry', '{}', 1, 1, 0, 1796653362877);


--
-- Data for Name: audit_runs; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.audit_runs VALUES (1, 1, '01M98E5BMDJ7JYKMTBNWY4F64T', NULL);


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

INSERT INTO weft_golden_src.deployments VALUES (1, '["LoopAwait","Fanout","RetryPending","Poller","Parent","Saga","Repair","ChildApproval","ForkJoin","TallyAround","machine:GoldenTally"]', '[{"name":"golden.weft","text":"// Flows whose runs a release leaves waiting as golden data\n// (scripts/make-golden.sh; crates/weft-cli/tests/golden.rs finishes them\n// with every later build). Each flow calls activities of its own, so a\n// poll for one activity only ever finds the task of one run. Timers armed\n// before the server stops take `input.pause` (minutes in the golden run,\n// seconds in its control run); timers armed after take seconds.\n\n// A wait inside a loop: one callback per item, with a running total.\nflow LoopAwait(input) {\n    total = 0\n    seen = []\n    for item in input.items {\n        answer = await LoopApprove(item) @timeout(36500d)\n        total += answer.points\n        seen = append(seen, {item: item, points: answer.points})\n    }\n    return {total: total, seen: seen}\n}\n\n// Branches of ParallelForEach, each waiting for something else: a\n// callback, a timer, a task; one is done before the server stops.\nflow Fanout(input) {\n    results = ParallelForEach(input.items, func(item) {\n        if item.kind == \"callback\" {\n            r = await FanoutConfirm(item.id) @timeout(36500d)\n            return {id: item.id, confirmed: r.ok}\n        }\n        if item.kind == \"sleep\" {\n            Sleep(input.pause)\n            return {id: item.id, slept: true}\n        }\n        if item.kind == \"slow\" {\n            s = FanoutSlow(item.id)\n            return {id: item.id, slow: s}\n        }\n        w = FanoutWork(item.id)\n        return {id: item.id, work: w}\n    })\n    summary = FanoutSummarize(len(results))\n    return {results: results, summary: summary}\n}\n\n// A call whose failed attempt waits out its back-off.\nflow RetryPending(input) {\n    prepared = RetryPrepare(input.id)\n    flaky = RetryFlaky(prepared) @retry(3, backoff: input.pause, maxBackoff: input.pause)\n    return {prepared: prepared, flaky: flaky}\n}\n\n// Timers in a loop: the run sleeps between polls.\nflow Poller(input) {\n    polls = []\n    for i in range(len(input.pauses)) {\n        status = PollStatus(i)\n        polls = append(polls, status)\n        if status == \"done\" {\n            break\n        }\n        Sleep(input.pauses[i])\n    }\n    return {polls: polls}\n}\n\n// Sub-flows: a called flow waits for a callback while an inline flow waits\n// for a task; after both, the parent sleeps in a loop.\nflow Parent(input) {\n    side = flow SideJob(input) {\n        s = SideWork(input.id)\n        return {side: s}\n    }\n    child = ChildApproval({id: input.id})\n    n = 0\n    while n < 2 {\n        Sleep(1s)\n        n++\n    }\n    return {child: child, side: side, n: n}\n}\n\n// A saga: a compensation kept as a closure while the run waits for a\n// decision, run by the prelude''s RunCompensations.\nflow Saga(input) {\n    var undo = []\n    reserved = SagaReserve(input.id)\n    undo = append(undo, func() {\n        return SagaRelease(reserved.ref)\n    })\n    decision = await SagaDecide(reserved.ref) @timeout(36500d)\n    if decision.ok != true {\n        undone = RunCompensations(undo)\n        return {status: \"compensated\", undone: undone}\n    }\n    return {status: \"kept\", ref: reserved.ref}\n}\n\n// A call that failed for good: the run waits for an operator.\nflow Repair(input) {\n    fetched = RepairFetch(input.id)\n    return {fetched: fetched}\n}\n"},{"name":"children.weft","text":"// A flow of a second file, called from golden.weft''s Parent.\nflow ChildApproval(req) {\n    signed = await ChildSignoff(req.id) @timeout(36500d)\n    return {approved: signed.approved, id: req.id}\n}\n"},{"name":"edition2.weft","text":"// Flows of the golden sets made from edition 2 on (the seed as written):\n// calls forked by assignment and joined by WaitAll, and a machine whose\n// instance a run changes before and after it waits. Each flow calls\n// activities of its own, as in golden.weft.\n\n// Fork by assignment: the three calls overlap; one is done before the\n// server stops, one fails for good after it (an entry of `errors`).\nflow ForkJoin(input) {\n    inventory = ForkInventory(input.id)\n    payment = ForkPayment(input.id)\n    address = ForkAddress(input.id)\n    results = WaitAll([inventory, payment, address])\n    if results.allSuccess {\n        return {ok: true, results: results.results}\n    }\n    return {ok: false, errors: len(results.errors)}\n}\n\n// A machine''s instance, changed once before the run waits and once after:\n// the instance, its history and the command queue live in the store the\n// later build reads.\nmachine GoldenTally {\n    state { total: number = 0 }\n    command Add(input: {n: number}) {\n        return {total: state.total + input.n}\n    }\n}\n\nflow TallyAround(input) {\n    first = GoldenTally(input.key).Add(n: 1)\n    answer = await TallyApprove(first.state.total) @timeout(36500d)\n    second = GoldenTally(input.key).Add(n: answer.n)\n    return {first: first.state.total, second: second.state.total, version: second.version}\n}\n"}]', 1796653344321, '{"format":1,"edition":2,"compiler":"weft-engine 0.1.0 compiler:11ebc45184141566","files":[{"name":"golden.weft","text":"// Flows whose runs a release leaves waiting as golden data\n// (scripts/make-golden.sh; crates/weft-cli/tests/golden.rs finishes them\n// with every later build). Each flow calls activities of its own, so a\n// poll for one activity only ever finds the task of one run. Timers armed\n// before the server stops take `input.pause` (minutes in the golden run,\n// seconds in its control run); timers armed after take seconds.\n\n// A wait inside a loop: one callback per item, with a running total.\nflow LoopAwait(input) {\n    total = 0\n    seen = []\n    for item in input.items {\n        answer = await LoopApprove(item) @timeout(36500d)\n        total += answer.points\n        seen = append(seen, {item: item, points: answer.points})\n    }\n    return {total: total, seen: seen}\n}\n\n// Branches of ParallelForEach, each waiting for something else: a\n// callback, a timer, a task; one is done before the server stops.\nflow Fanout(input) {\n    results = ParallelForEach(input.items, func(item) {\n        if item.kind == \"callback\" {\n            r = await FanoutConfirm(item.id) @timeout(36500d)\n            return {id: item.id, confirmed: r.ok}\n        }\n        if item.kind == \"sleep\" {\n            Sleep(input.pause)\n            return {id: item.id, slept: true}\n        }\n        if item.kind == \"slow\" {\n            s = FanoutSlow(item.id)\n            return {id: item.id, slow: s}\n        }\n        w = FanoutWork(item.id)\n        return {id: item.id, work: w}\n    })\n    summary = FanoutSummarize(len(results))\n    return {results: results, summary: summary}\n}\n\n// A call whose failed attempt waits out its back-off.\nflow RetryPending(input) {\n    prepared = RetryPrepare(input.id)\n    flaky = RetryFlaky(prepared) @retry(3, backoff: input.pause, maxBackoff: input.pause)\n    return {prepared: prepared, flaky: flaky}\n}\n\n// Timers in a loop: the run sleeps between polls.\nflow Poller(input) {\n    polls = []\n    for i in range(len(input.pauses)) {\n        status = PollStatus(i)\n        polls = append(polls, status)\n        if status == \"done\" {\n            break\n        }\n        Sleep(input.pauses[i])\n    }\n    return {polls: polls}\n}\n\n// Sub-flows: a called flow waits for a callback while an inline flow waits\n// for a task; after both, the parent sleeps in a loop.\nflow Parent(input) {\n    side = flow SideJob(input) {\n        s = SideWork(input.id)\n        return {side: s}\n    }\n    child = ChildApproval({id: input.id})\n    n = 0\n    while n < 2 {\n        Sleep(1s)\n        n++\n    }\n    return {child: child, side: side, n: n}\n}\n\n// A saga: a compensation kept as a closure while the run waits for a\n// decision, run by the prelude''s RunCompensations.\nflow Saga(input) {\n    var undo = []\n    reserved = SagaReserve(input.id)\n    undo = append(undo, func() {\n        return SagaRelease(reserved.ref)\n    })\n    decision = await SagaDecide(reserved.ref) @timeout(36500d)\n    if decision.ok != true {\n        undone = RunCompensations(undo)\n        return {status: \"compensated\", undone: undone}\n    }\n    return {status: \"kept\", ref: reserved.ref}\n}\n\n// A call that failed for good: the run waits for an operator.\nflow Repair(input) {\n    fetched = RepairFetch(input.id)\n    return {fetched: fetched}\n}\n"},{"name":"children.weft","text":"// A flow of a second file, called from golden.weft''s Parent.\nflow ChildApproval(req) {\n    signed = await ChildSignoff(req.id) @timeout(36500d)\n    return {approved: signed.approved, id: req.id}\n}\n"},{"name":"edition2.weft","text":"// Flows of the golden sets made from edition 2 on (the seed as written):\n// calls forked by assignment and joined by WaitAll, and a machine whose\n// instance a run changes before and after it waits. Each flow calls\n// activities of its own, as in golden.weft.\n\n// Fork by assignment: the three calls overlap; one is done before the\n// server stops, one fails for good after it (an entry of `errors`).\nflow ForkJoin(input) {\n    inventory = ForkInventory(input.id)\n    payment = ForkPayment(input.id)\n    address = ForkAddress(input.id)\n    results = WaitAll([inventory, payment, address])\n    if results.allSuccess {\n        return {ok: true, results: results.results}\n    }\n    return {ok: false, errors: len(results.errors)}\n}\n\n// A machine''s instance, changed once before the run waits and once after:\n// the instance, its history and the command queue live in the store the\n// later build reads.\nmachine GoldenTally {\n    state { total: number = 0 }\n    command Add(input: {n: number}) {\n        return {total: state.total + input.n}\n    }\n}\n\nflow TallyAround(input) {\n    first = GoldenTally(input.key).Add(n: 1)\n    answer = await TallyApprove(first.state.total) @timeout(36500d)\n    second = GoldenTally(input.key).Add(n: answer.n)\n    return {first: first.state.total, second: second.state.total, version: second.version}\n}\n"},{"name":"<prelude>","text":"\nflow RunCompensations(list) {\n    results = []\n    i = len(list) - 1\n    while i >= 0 {\n        results = append(results, list[i]())\n        i--\n    }\n    return results\n}\n"}],"flows":[["LoopAwait",1],["Fanout",2],["RetryPending",3],["Poller",4],["Parent",5],["Saga",6],["Repair",7],["ChildApproval",8],["ForkJoin",9],["TallyAround",10]],"functions":[{"name":"GoldenTally.Add","kind":"handler","file":2,"params":[0,1,2],"slots":["state","key","input"],"span":[959,1044],"code":[{"Load":0},"Null",{"Binary":"=="},{"JumpIfFalse":6},"NewObject",{"Store":0},{"Load":0},{"GetField":5},"Null",{"Binary":"=="},{"JumpIfFalse":14},{"Const":5},{"Const":54},{"SetPath":[0,1,null]},"NewObject",{"Bool":true},{"ObjSet":11},"NewObject",{"Load":0},{"GetField":5},{"Load":2},{"GetField":32},{"Binary":"+"},{"ObjSet":5},{"ObjSet":46},"Return","NewObject",{"Bool":true},{"ObjSet":11},{"Load":0},{"ObjSet":46},"Return"],"spans":[933,954,933,954,933,954,933,954,933,954,933,954,935,952,935,952,935,952,935,952,935,952,935,952,951,952,935,952,1001,1038,1001,1038,1001,1038,1008,1038,1016,1021,1022,1027,1030,1035,1036,1037,1016,1037,1009,1014,1001,1038,1001,1038,1044,1044,1044,1044,1044,1044,1044,1044,1044,1044,1044,1044]},{"name":"LoopAwait","kind":"flow","file":0,"params":[0],"slots":["input","total","seen","item","answer","$list5","$i6"],"span":[491,772],"code":[{"Const":0},{"Store":1},"NewList",{"Store":2},{"Load":0},{"GetField":1},{"IterInit":[5,6]},{"IterNext":[5,6,3,27]},{"Load":3},{"Const":2},{"CallActivity":0},{"Store":4},{"Load":1},{"Load":4},{"GetField":3},{"Binary":"+"},{"Store":1},{"Load":2},"NewObject",{"Load":3},{"ObjSet":4},{"Load":4},{"GetField":3},{"ObjSet":3},{"CallBuiltin":["append",2]},{"Store":2},{"Jump":7},"NewObject",{"Load":1},{"ObjSet":5},{"Load":2},{"ObjSet":6},"Return","Null","Return"],"spans":[527,528,519,528,540,542,533,542,559,564,565,570,559,570,551,555,608,612,623,629,596,630,581,630,639,644,648,654,655,661,639,661,639,661,684,688,690,725,697,701,691,695,711,717,718,724,703,709,677,726,670,726,571,732,744,770,752,757,745,750,765,769,759,763,737,770,772,772,772,772]},{"name":"Fanout","kind":"flow","file":0,"params":[0],"slots":["input","results","summary"],"span":[908,1556],"code":[{"Load":0},{"GetField":1},{"Load":0},{"MakeClosure":12},"ParallelForEach",{"Store":1},{"Load":1},{"CallBuiltin":["len",1]},{"CallActivity":4},{"Store":2},"NewObject",{"Load":1},{"ObjSet":18},{"Load":2},{"ObjSet":19},"Return","Null","Return"],"spans":[959,964,965,970,972,1461,972,1461,943,1462,933,1462,1497,1504,1493,1505,1477,1506,1467,1506,1518,1554,1528,1535,1519,1526,1546,1553,1537,1544,1511,1554,1556,1556,1556,1556]},{"name":"RetryPending","kind":"flow","file":0,"params":[0],"slots":["input","prepared","flaky"],"span":[1613,1815],"code":[{"Load":0},{"GetField":9},{"CallActivity":5},{"Store":1},{"Load":1},{"Const":20},{"Load":0},{"GetField":14},{"Load":0},{"GetField":14},{"CallActivity":6},{"Store":2},"NewObject",{"Load":1},{"ObjSet":21},{"Load":2},{"ObjSet":22},"Return","Null","Return"],"spans":[1668,1673,1674,1676,1655,1677,1644,1677,1701,1709,1718,1719,1730,1735,1736,1741,1755,1760,1761,1766,1690,1767,1682,1767,1779,1813,1790,1798,1780,1788,1807,1812,1800,1805,1772,1813,1815,1815,1815,1815]},{"name":"Poller","kind":"flow","file":0,"params":[0],"slots":["input","polls","i","status","$list4","$i5"],"span":[1868,2135],"code":["NewList",{"Store":1},{"Load":0},{"GetField":23},{"CallBuiltin":["len",1]},{"CallBuiltin":["range",1]},{"IterInit":[4,5]},{"IterNext":[4,5,2,27]},{"Load":2},{"CallActivity":7},{"Store":3},{"Load":1},{"Load":3},{"CallBuiltin":["append",2]},{"Store":1},{"Load":3},{"Const":24},{"Binary":"=="},{"JumpIfFalse":20},{"Jump":27},{"Load":0},{"GetField":23},{"Load":2},"GetIndex",{"CallBuiltin":["Sleep",1]},"Pop",{"Jump":7},"NewObject",{"Load":1},{"ObjSet":25},"Return","Null","Return"],"spans":[1901,1903,1893,1903,1927,1932,1933,1939,1923,1940,1917,1941,1917,1941,1912,1913,1972,1973,1961,1974,1952,1974,1998,2003,2005,2011,1991,2012,1983,2012,2024,2030,2034,2040,2024,2040,2024,2040,2055,2060,2085,2090,2091,2097,2098,2099,2085,2100,2079,2101,2079,2101,1942,2107,2119,2133,2127,2132,2120,2125,2112,2133,2135,2135,2135,2135]},{"name":"Parent","kind":"flow","file":0,"params":[0],"slots":["input","side","child","n"],"span":[2269,2536],"code":[{"Load":0},{"StartInline":13},{"Store":1},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"CallFlow":[8,1]},{"Store":2},{"Const":27},{"Store":3},{"Load":3},{"Const":28},{"Binary":"<"},{"JumpIfFalse":23},{"Const":29},{"CallBuiltin":["Sleep",1]},"Pop",{"Load":3},{"Const":30},{"Binary":"+"},{"Store":3},{"Jump":11},"NewObject",{"Load":2},{"ObjSet":31},{"Load":1},{"ObjSet":26},{"Load":3},{"ObjSet":32},"Return","Null","Return"],"spans":[2314,2319,2306,2313,2294,2384,2411,2425,2416,2421,2422,2424,2412,2414,2397,2426,2389,2426,2435,2436,2431,2436,2447,2448,2451,2452,2447,2452,2447,2452,2469,2471,2463,2472,2463,2472,2481,2482,2481,2484,2481,2484,2481,2484,2453,2490,2502,2534,2510,2515,2503,2508,2523,2527,2517,2521,2532,2533,2529,2530,2495,2534,2536,2536,2536,2536]},{"name":"Saga","kind":"flow","file":0,"params":[0],"slots":["input","undo","reserved","decision","undone"],"span":[2660,3056],"code":["NewList",{"Store":1},{"Load":0},{"GetField":9},{"CallActivity":9},{"Store":2},{"Load":1},{"Load":2},{"MakeClosure":14},{"CallBuiltin":["append",2]},{"Store":1},{"Load":2},{"GetField":33},{"Const":34},{"CallActivity":11},{"Store":3},{"Load":3},{"GetField":11},{"Bool":true},{"Binary":"!="},{"JumpIfFalse":30},{"Load":1},{"CallFunc":[11,1]},{"Store":4},"NewObject",{"Const":35},{"ObjSet":36},{"Load":4},{"ObjSet":37},"Return","NewObject",{"Const":38},{"ObjSet":36},{"Load":2},{"GetField":33},{"ObjSet":33},"Return","Null","Return"],"spans":[2694,2696,2683,2696,2724,2729,2730,2732,2712,2733,2701,2733,2752,2756,2758,2813,2758,2813,2745,2814,2738,2814,2847,2855,2856,2859,2870,2876,2836,2877,2819,2877,2885,2893,2894,2896,2900,2904,2885,2904,2885,2904,2941,2945,2924,2946,2915,2946,2962,3001,2971,2984,2963,2969,2994,3000,2986,2992,2955,3001,3019,3054,3028,3034,3020,3026,3041,3049,3050,3053,3036,3039,3012,3054,3056,3056,3056,3056]},{"name":"Repair","kind":"flow","file":0,"params":[0],"slots":["input","fetched"],"span":[3121,3209],"code":[{"Load":0},{"GetField":9},{"CallActivity":12},{"Store":1},"NewObject",{"Load":1},{"ObjSet":39},"Return","Null","Return"],"spans":[3168,3173,3174,3176,3156,3177,3146,3177,3189,3207,3199,3206,3190,3197,3182,3207,3209,3209,3209,3209]},{"name":"ChildApproval","kind":"flow","file":1,"params":[0],"slots":["req","signed"],"span":[62,197],"code":[{"Load":0},{"GetField":9},{"Const":40},{"CallActivity":13},{"Store":1},"NewObject",{"Load":1},{"GetField":41},{"ObjSet":41},{"Load":0},{"GetField":9},{"ObjSet":9},"Return","Null","Return"],"spans":[120,123,124,126,137,143,107,144,92,144,156,195,167,173,174,182,157,165,188,191,192,194,184,186,149,195,197,197,197,197]},{"name":"ForkJoin","kind":"flow","file":2,"params":[0],"slots":["input","inventory","payment","address","results"],"span":[402,729],"code":[{"Load":0},{"MakeClosure":15},"Fork",{"Store":1},{"Load":0},{"MakeClosure":16},"Fork",{"Store":2},{"Load":0},{"MakeClosure":17},"Fork",{"Store":3},"NewList",{"Take":1},"ListPush",{"Take":2},"ListPush",{"Take":3},"ListPush",{"Parallel":"all"},{"Store":4},{"Load":4},{"GetField":42},{"JumpIfFalse":31},"NewObject",{"Bool":true},{"ObjSet":11},{"Load":4},{"GetField":18},{"ObjSet":18},"Return","NewObject",{"Bool":false},{"ObjSet":11},{"Load":4},{"GetField":43},{"CallBuiltin":["len",1]},{"ObjSet":43},"Return","Null","Return"],"spans":[441,464,441,464,441,464,429,464,479,500,479,500,479,500,469,500,515,536,515,536,515,536,505,536,559,588,560,569,560,569,571,578,571,578,580,587,580,587,551,589,541,589,597,604,605,615,597,615,633,669,638,642,634,636,653,660,661,668,644,651,626,669,687,727,692,697,688,690,711,718,719,725,707,726,699,705,680,727,729,729,729,729]},{"name":"TallyAround","kind":"flow","file":2,"params":[0],"slots":["input","first","answer","second"],"span":[1048,1332],"code":[{"Load":0},{"GetField":44},"NewObject",{"Const":45},{"ObjSet":32},{"CallActivity":17},{"Store":1},{"Load":1},{"GetField":46},{"GetField":5},{"Const":47},{"CallActivity":18},{"Store":2},{"Load":0},{"GetField":44},"NewObject",{"Load":2},{"GetField":32},{"ObjSet":32},{"CallActivity":19},{"Store":3},"NewObject",{"Load":1},{"GetField":46},{"GetField":5},{"ObjSet":48},{"Load":3},{"GetField":46},{"GetField":5},{"ObjSet":49},{"Load":3},{"GetField":50},{"ObjSet":50},"Return","Null","Return"],"spans":[1098,1103,1104,1107,1086,1118,1116,1117,1113,1114,1086,1118,1078,1118,1151,1156,1157,1162,1163,1168,1179,1185,1138,1186,1123,1186,1212,1217,1218,1221,1200,1239,1230,1236,1237,1238,1227,1228,1200,1239,1191,1239,1251,1330,1259,1264,1265,1270,1271,1276,1252,1257,1286,1292,1293,1298,1299,1304,1278,1284,1315,1321,1322,1329,1306,1313,1244,1330,1332,1332,1332,1332]},{"name":"RunCompensations","kind":"prelude","file":3,"params":[0],"slots":["list","results","i"],"span":[1,172],"code":["NewList",{"Store":1},{"Load":0},{"CallBuiltin":["len",1]},{"Const":51},{"Binary":"-"},{"Store":2},{"Load":2},{"Const":52},{"Binary":">="},{"JumpIfFalse":23},{"Load":1},{"Load":0},{"Load":2},"GetIndex",{"CallClosure":0},{"CallBuiltin":["append",2]},{"Store":1},{"Load":2},{"Const":53},{"Binary":"-"},{"Store":2},{"Jump":7},{"Load":1},"Return","Null","Return"],"spans":[45,47,35,47,60,64,56,65,68,69,56,69,52,69,80,81,85,86,80,86,80,86,114,121,123,127,128,129,123,130,123,132,107,133,97,133,142,143,142,145,142,145,142,145,87,151,163,170,156,170,172,172,172,172]},{"name":"func","kind":"lambda","file":0,"params":[0],"captures":[{"name":"input","slot":4}],"slots":["item","r","s","w","input"],"span":[972,1461],"code":[{"Load":0},{"GetField":7},{"Const":8},{"Binary":"=="},{"JumpIfFalse":18},{"Load":0},{"GetField":9},{"Const":10},{"CallActivity":1},{"Store":1},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Load":1},{"GetField":11},{"ObjSet":12},"Return",{"Load":0},{"GetField":7},{"Const":13},{"Binary":"=="},{"JumpIfFalse":34},{"Load":4},{"GetField":14},{"CallBuiltin":["Sleep",1]},"Pop","NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Bool":true},{"ObjSet":15},"Return",{"Load":0},{"GetField":7},{"Const":16},{"Binary":"=="},{"JumpIfFalse":50},{"Load":0},{"GetField":9},{"CallActivity":2},{"Store":2},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Load":2},{"ObjSet":16},"Return",{"Load":0},{"GetField":9},{"CallActivity":3},{"Store":3},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Load":3},{"ObjSet":17},"Return","Null","Return"],"spans":[996,1000,1001,1005,1009,1019,996,1019,996,1019,1058,1062,1063,1065,1076,1082,1044,1083,1034,1083,1103,1133,1108,1112,1113,1115,1104,1106,1128,1129,1130,1132,1117,1126,1096,1133,1155,1159,1160,1164,1168,1175,1155,1175,1155,1175,1196,1201,1202,1207,1190,1208,1190,1208,1228,1254,1233,1237,1238,1240,1229,1231,1249,1253,1242,1247,1221,1254,1276,1280,1281,1285,1289,1295,1276,1295,1276,1295,1325,1329,1330,1332,1314,1333,1310,1333,1353,1375,1358,1362,1363,1365,1354,1356,1373,1374,1367,1371,1346,1375,1409,1413,1414,1416,1398,1417,1394,1417,1433,1455,1438,1442,1443,1445,1434,1436,1453,1454,1447,1451,1426,1455,1461,1461,1461,1461]},{"name":"SideJob","kind":"inlineFlow","file":0,"params":[0],"paramLabels":["input"],"slots":["input","s"],"span":[2301,2384],"code":[{"Load":0},{"GetField":9},{"CallActivity":8},{"Store":1},"NewObject",{"Load":1},{"ObjSet":26},"Return","Null","Return"],"spans":[2344,2349,2350,2352,2335,2353,2331,2353,2369,2378,2376,2377,2370,2374,2362,2378,2384,2384,2384,2384]},{"name":"func","kind":"lambda","file":0,"params":[],"captures":[{"name":"reserved","slot":0}],"slots":["reserved"],"span":[2758,2813],"code":[{"Load":0},{"GetField":33},{"CallActivity":10},"Return","Null","Return"],"spans":[2794,2802,2803,2806,2782,2807,2775,2807,2813,2813,2813,2813]},{"name":"branch","kind":"branch","file":2,"params":[],"captures":[{"name":"input","slot":0}],"slots":["input"],"span":[441,464],"code":[{"Load":0},{"GetField":9},{"CallActivity":14},"Return"],"spans":[455,460,461,463,441,464,441,464]},{"name":"branch","kind":"branch","file":2,"params":[],"captures":[{"name":"input","slot":0}],"slots":["input"],"span":[479,500],"code":[{"Load":0},{"GetField":9},{"CallActivity":15},"Return"],"spans":[491,496,497,499,479,500,479,500]},{"name":"branch","kind":"branch","file":2,"params":[],"captures":[{"name":"input","slot":0}],"slots":["input"],"span":[515,536],"code":[{"Load":0},{"GetField":9},{"CallActivity":16},"Return"],"spans":[527,532,533,535,515,536,515,536]}],"consts":[{"Int":0},{"Str":"items"},{"Duration":3153600000000},{"Str":"points"},{"Str":"item"},{"Str":"total"},{"Str":"seen"},{"Str":"kind"},{"Str":"callback"},{"Str":"id"},{"Duration":3153600000000},{"Str":"ok"},{"Str":"confirmed"},{"Str":"sleep"},{"Str":"pause"},{"Str":"slept"},{"Str":"slow"},{"Str":"work"},{"Str":"results"},{"Str":"summary"},{"Int":3},{"Str":"prepared"},{"Str":"flaky"},{"Str":"pauses"},{"Str":"done"},{"Str":"polls"},{"Str":"side"},{"Int":0},{"Int":2},{"Duration":1000},{"Int":1},{"Str":"child"},{"Str":"n"},{"Str":"ref"},{"Duration":3153600000000},{"Str":"compensated"},{"Str":"status"},{"Str":"undone"},{"Str":"kept"},{"Str":"fetched"},{"Duration":3153600000000},{"Str":"approved"},{"Str":"allSuccess"},{"Str":"errors"},{"Str":"key"},{"Int":1},{"Str":"state"},{"Duration":3153600000000},{"Str":"first"},{"Str":"second"},{"Str":"version"},{"Int":1},{"Int":0},{"Int":1},{"Int":0}],"calls":[{"activity":"LoopApprove","positional":1,"timeout":true,"awaited":true},{"activity":"FanoutConfirm","positional":1,"timeout":true,"awaited":true},{"activity":"FanoutSlow","positional":1},{"activity":"FanoutWork","positional":1},{"activity":"FanoutSummarize","positional":1},{"activity":"RetryPrepare","positional":1},{"activity":"RetryFlaky","positional":1,"retry":true,"retryBackoff":true,"retryMax":true},{"activity":"PollStatus","positional":1},{"activity":"SideWork","positional":1},{"activity":"SagaReserve","positional":1},{"activity":"SagaRelease","positional":1},{"activity":"SagaDecide","positional":1,"timeout":true,"awaited":true},{"activity":"RepairFetch","positional":1},{"activity":"ChildSignoff","positional":1,"timeout":true,"awaited":true},{"activity":"ForkInventory","positional":1,"catch":true},{"activity":"ForkPayment","positional":1,"catch":true},{"activity":"ForkAddress","positional":1,"catch":true},{"activity":"machine:GoldenTally.Add","positional":2},{"activity":"TallyApprove","positional":1,"timeout":true,"awaited":true},{"activity":"machine:GoldenTally.Add","positional":2}],"machines":[{"name":"GoldenTally","state":{"kind":"object","fields":[{"name":"total","ty":{"kind":"number"},"optional":false}],"open":false},"commands":[{"name":"Add","input":{"kind":"object","fields":[{"name":"n","ty":{"kind":"number"},"optional":false}],"open":false},"handler":0}]}]}');


--
-- Data for Name: events; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.events VALUES (1, 'machine:GoldenTally/control/1', 'created', 'GoldenTally', '{"key":"control","version":1,"command":"Add","commandId":"01M98E5BX9MB5NJ89CRMGCYYGY-1","state":{"total":1}}', 'machine', 1796653363113, '[]');
INSERT INTO weft_golden_src.events VALUES (2, 'machine:GoldenTally/control/2', 'updated', 'GoldenTally', '{"key":"control","version":2,"command":"Add","commandId":"01M98E5BX9MB5NJ89CRMGCYYGY-3","state":{"total":42}}', 'machine', 1796653363156, '[]');
INSERT INTO weft_golden_src.events VALUES (3, 'machine:GoldenTally/golden/1', 'created', 'GoldenTally', '{"key":"golden","version":1,"command":"Add","commandId":"01M98E5CA9TZ4MSVHX7TAA76RX-1","state":{"total":1}}', 'machine', 1796653363529, '[]');


--
-- Data for Name: idempotency_keys; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: inbox; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: journal; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.journal VALUES ('01M98E4SMRVTWFWF85PZVZ9YCY', 1, '[{"at":1796653344408,"type":"started","input":{"items":["a","b","c"]}},{"at":1796653344408,"type":"callStarted","callId":"01M98E4SMRVTWFWF85PZVZ9YCY-1","activity":"LoopApprove","args":["a"],"attempt":1,"awaited":true,"line":13}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E4SMRVTWFWF85PZVZ9YCY', 2, '[{"at":1796653344509,"type":"callCompleted","callId":"01M98E4SMRVTWFWF85PZVZ9YCY-1","activity":"LoopApprove","attempt":1,"value":{"points":1},"durationMs":101,"how":"callback"},{"at":1796653344509,"type":"callStarted","callId":"01M98E4SMRVTWFWF85PZVZ9YCY-2","activity":"LoopApprove","args":["b"],"attempt":1,"awaited":true,"line":13}]', '{"event":{"type":"callback","call":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E4SMRVTWFWF85PZVZ9YCY', 3, '[{"at":1796653344551,"type":"callCompleted","callId":"01M98E4SMRVTWFWF85PZVZ9YCY-2","activity":"LoopApprove","attempt":1,"value":{"points":10},"durationMs":42,"how":"callback"},{"at":1796653344551,"type":"callStarted","callId":"01M98E4SMRVTWFWF85PZVZ9YCY-3","activity":"LoopApprove","args":["c"],"attempt":1,"awaited":true,"line":13}]', '{"event":{"type":"callback","call":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E4SMRVTWFWF85PZVZ9YCY', 4, '[{"at":1796653344584,"type":"callCompleted","callId":"01M98E4SMRVTWFWF85PZVZ9YCY-3","activity":"LoopApprove","attempt":1,"value":{"points":100},"durationMs":33,"how":"callback"},{"at":1796653344584,"type":"completed","result":{"total":111,"seen":[{"item":"a","points":1},{"item":"b","points":10},{"item":"c","points":100}]}}]', '{"event":{"type":"callback","call":3,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E4STZ5BHAR9A1MQQSESFB', 1, '[{"at":1796653344607,"type":"started","input":{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"5s"}},{"at":1796653344607,"type":"callStarted","callId":"01M98E4STZ5BHAR9A1MQQSESFB-1","activity":"FanoutWork","args":[1],"attempt":1,"awaited":false,"line":36},{"at":1796653344607,"type":"callStarted","callId":"01M98E4STZ5BHAR9A1MQQSESFB-2","activity":"FanoutConfirm","args":[2],"attempt":1,"awaited":true,"line":25},{"at":1796653344607,"type":"timerStarted","until":1796653349607},{"at":1796653344607,"type":"callStarted","callId":"01M98E4STZ5BHAR9A1MQQSESFB-3","activity":"FanoutSlow","args":[4],"attempt":1,"awaited":false,"line":33}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E4STZ5BHAR9A1MQQSESFB', 2, '[{"at":1796653344696,"type":"callCompleted","callId":"01M98E4STZ5BHAR9A1MQQSESFB-1","activity":"FanoutWork","attempt":1,"value":"w1","durationMs":89,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E4STZ5BHAR9A1MQQSESFB', 3, '[{"at":1796653349617,"type":"timerFired","key":"sleep:3"}]', '{"event":{"type":"timerFired","key":"sleep:3"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E4STZ5BHAR9A1MQQSESFB', 4, '[{"at":1796653349690,"type":"callCompleted","callId":"01M98E4STZ5BHAR9A1MQQSESFB-3","activity":"FanoutSlow","attempt":1,"value":"s4","durationMs":5083,"how":"returned"}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E4STZ5BHAR9A1MQQSESFB', 5, '[{"at":1796653349716,"type":"callCompleted","callId":"01M98E4STZ5BHAR9A1MQQSESFB-2","activity":"FanoutConfirm","attempt":1,"value":{"ok":true},"durationMs":5109,"how":"callback"},{"at":1796653349716,"type":"callStarted","callId":"01M98E4STZ5BHAR9A1MQQSESFB-4","activity":"FanoutSummarize","args":[4],"attempt":1,"awaited":false,"line":39}]', '{"event":{"type":"callback","call":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E4STZ5BHAR9A1MQQSESFB', 6, '[{"at":1796653349746,"type":"callCompleted","callId":"01M98E4STZ5BHAR9A1MQQSESFB-4","activity":"FanoutSummarize","attempt":1,"value":{"count":4},"durationMs":30,"how":"returned"},{"at":1796653349746,"type":"completed","result":{"results":[{"id":1,"work":"w1"},{"id":2,"confirmed":true},{"id":3,"slept":true},{"id":4,"slow":"s4"}],"summary":{"count":4}}}]', '{"event":{"type":"callCompleted","call":4,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E4YW56MBGERSKRYXDJZ7Y', 1, '[{"at":1796653349765,"type":"started","input":{"id":7,"pause":"5s"}},{"at":1796653349765,"type":"callStarted","callId":"01M98E4YW56MBGERSKRYXDJZ7Y-1","activity":"RetryPrepare","args":[7],"attempt":1,"awaited":false,"line":45}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E4YW56MBGERSKRYXDJZ7Y', 2, '[{"at":1796653349781,"type":"callCompleted","callId":"01M98E4YW56MBGERSKRYXDJZ7Y-1","activity":"RetryPrepare","attempt":1,"value":{"prepared":7},"durationMs":16,"how":"returned"},{"at":1796653349781,"type":"callStarted","callId":"01M98E4YW56MBGERSKRYXDJZ7Y-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":1,"awaited":false,"line":46}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E4YW56MBGERSKRYXDJZ7Y', 3, '[{"at":1796653349806,"type":"callFailed","callId":"01M98E4YW56MBGERSKRYXDJZ7Y-2","activity":"RetryFlaky","attempt":1,"error":"connection reset","retryAt":1796653353818}]', '{"event":{"type":"callFailed","call":2,"attempt":1,"error":"connection reset","retryable":true},"jitter":[0.60507532321005]}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E4YW56MBGERSKRYXDJZ7Y', 4, '[{"at":1796653353987,"type":"timerFired","key":"backoff:2"},{"at":1796653353987,"type":"callStarted","callId":"01M98E4YW56MBGERSKRYXDJZ7Y-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":2,"awaited":false,"line":46}]', '{"event":{"type":"timerFired","key":"backoff:2"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E4YW56MBGERSKRYXDJZ7Y', 5, '[{"at":1796653354007,"type":"callCompleted","callId":"01M98E4YW56MBGERSKRYXDJZ7Y-2","activity":"RetryFlaky","attempt":2,"value":"flaky-ok","durationMs":4226,"how":"returned"},{"at":1796653354007,"type":"completed","result":{"prepared":{"prepared":7},"flaky":"flaky-ok"}}]', '{"event":{"type":"callCompleted","call":2,"attempt":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E531EAKZJB8EZX6VGXBFP', 1, '[{"at":1796653354030,"type":"started","input":{"pauses":["5s","1s","1s"]}},{"at":1796653354030,"type":"callStarted","callId":"01M98E531EAKZJB8EZX6VGXBFP-1","activity":"PollStatus","args":[0],"attempt":1,"awaited":false,"line":54}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E531EAKZJB8EZX6VGXBFP', 2, '[{"at":1796653354051,"type":"callCompleted","callId":"01M98E531EAKZJB8EZX6VGXBFP-1","activity":"PollStatus","attempt":1,"value":"pending","durationMs":21,"how":"returned"},{"at":1796653354051,"type":"timerStarted","until":1796653359051}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E531EAKZJB8EZX6VGXBFP', 3, '[{"at":1796653359242,"type":"timerFired","key":"sleep:0"},{"at":1796653359242,"type":"callStarted","callId":"01M98E531EAKZJB8EZX6VGXBFP-2","activity":"PollStatus","args":[1],"attempt":1,"awaited":false,"line":54}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E531EAKZJB8EZX6VGXBFP', 4, '[{"at":1796653359260,"type":"callCompleted","callId":"01M98E531EAKZJB8EZX6VGXBFP-2","activity":"PollStatus","attempt":1,"value":"pending","durationMs":18,"how":"returned"},{"at":1796653359260,"type":"timerStarted","until":1796653360260}]', '{"event":{"type":"callCompleted","call":2,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E531EAKZJB8EZX6VGXBFP', 5, '[{"at":1796653360449,"type":"timerFired","key":"sleep:0"},{"at":1796653360449,"type":"callStarted","callId":"01M98E531EAKZJB8EZX6VGXBFP-3","activity":"PollStatus","args":[2],"attempt":1,"awaited":false,"line":54}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E531EAKZJB8EZX6VGXBFP', 6, '[{"at":1796653360464,"type":"callCompleted","callId":"01M98E531EAKZJB8EZX6VGXBFP-3","activity":"PollStatus","attempt":1,"value":"done","durationMs":15,"how":"returned"},{"at":1796653360464,"type":"completed","result":{"polls":["pending","pending","done"]}}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E59B23GCNJZXECY0GNZ8X', 1, '[{"at":1796653360482,"type":"started","input":{"req":{"id":9}}},{"at":1796653360482,"type":"callStarted","callId":"01M98E59B23GCNJZXECY0GNZ8X-1","activity":"ChildSignoff","args":[9],"attempt":1,"awaited":true,"line":3}]', '{"child":{"func":8,"args":[{"id":9}],"captures":[],"input":{"req":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E59B29N6BTQFG32H0QCK2', 1, '[{"at":1796653360482,"type":"started","input":{"input":{"id":9}}},{"at":1796653360482,"type":"callStarted","callId":"01M98E59B29N6BTQFG32H0QCK2-1","activity":"SideWork","args":[9],"attempt":1,"awaited":false,"line":68}]', '{"child":{"func":13,"args":[{"id":9}],"captures":[],"input":{"input":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E59B2G3KMM0BQZTKY1QRT', 1, '[{"at":1796653360482,"type":"started","input":{"id":9}},{"at":1796653360482,"type":"childStarted","runId":"01M98E59B29N6BTQFG32H0QCK2","flow":"SideJob"},{"at":1796653360482,"type":"childStarted","runId":"01M98E59B23GCNJZXECY0GNZ8X","flow":"ChildApproval"}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E59B23GCNJZXECY0GNZ8X', 2, '[{"at":1796653360576,"type":"callCompleted","callId":"01M98E59B23GCNJZXECY0GNZ8X-1","activity":"ChildSignoff","attempt":1,"value":{"approved":true},"durationMs":94,"how":"callback"},{"at":1796653360576,"type":"completed","result":{"approved":true,"id":9}}]', '{"event":{"type":"callback","call":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E59B2G3KMM0BQZTKY1QRT', 3, '[{"at":1796653360576,"type":"childFinished","runId":"01M98E59B23GCNJZXECY0GNZ8X","result":{"approved":true,"id":9}},{"at":1796653360576,"type":"timerStarted","until":1796653361576}]', '{"event":{"type":"childFinished","child":0,"run_id":"01M98E59B23GCNJZXECY0GNZ8X","result":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BHCHZ6QGGGKS4NASA8M', 4, '[{"at":1796653362807,"type":"callCompleted","callId":"01M98E5BHCHZ6QGGGKS4NASA8M-3","activity":"SagaRelease","attempt":1,"value":"released","durationMs":33,"how":"returned"},{"at":1796653362807,"type":"completed","result":{"status":"compensated","undone":["released"]}}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BSS8HMDSTZ8GJT4GQ91', 1, '[{"at":1796653363001,"type":"started","input":{"id":5}},{"at":1796653363001,"type":"callStarted","callId":"01M98E5BSS8HMDSTZ8GJT4GQ91-1","activity":"ForkInventory","args":[5],"attempt":1,"awaited":false,"line":9},{"at":1796653363001,"type":"callStarted","callId":"01M98E5BSS8HMDSTZ8GJT4GQ91-2","activity":"ForkPayment","args":[5],"attempt":1,"awaited":false,"line":10},{"at":1796653363001,"type":"callStarted","callId":"01M98E5BSS8HMDSTZ8GJT4GQ91-3","activity":"ForkAddress","args":[5],"attempt":1,"awaited":false,"line":11}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BSS8HMDSTZ8GJT4GQ91', 2, '[{"at":1796653363023,"type":"callCompleted","callId":"01M98E5BSS8HMDSTZ8GJT4GQ91-1","activity":"ForkInventory","attempt":1,"value":{"reserved":5},"durationMs":22,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BSS8HMDSTZ8GJT4GQ91', 4, '[{"at":1796653363090,"type":"callFailed","callId":"01M98E5BSS8HMDSTZ8GJT4GQ91-2","activity":"ForkPayment","attempt":1,"error":"card declined","retryAt":null},{"at":1796653363090,"type":"callCompleted","callId":"01M98E5BSS8HMDSTZ8GJT4GQ91-2","activity":"ForkPayment","attempt":1,"value":{"status":"error","error":{"message":"card declined","attempts":1}},"durationMs":89,"how":"caught"},{"at":1796653363090,"type":"completed","result":{"ok":false,"errors":1}}]', '{"event":{"type":"callFailed","call":2,"attempt":1,"error":"card declined","retryable":false},"jitter":[0.13142054910445788]}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C18NVXAW6X306KVDMY9', 2, '[{"at":1796653363261,"type":"callCompleted","callId":"01M98E5C18NVXAW6X306KVDMY9-1","activity":"FanoutWork","attempt":1,"value":"w1","durationMs":21,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C2FVVMYHN94YPANA4HE', 1, '[{"at":1796653363279,"type":"started","input":{"id":7,"pause":"2m"}},{"at":1796653363279,"type":"callStarted","callId":"01M98E5C2FVVMYHN94YPANA4HE-1","activity":"RetryPrepare","args":[7],"attempt":1,"awaited":false,"line":45}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C2FVVMYHN94YPANA4HE', 3, '[{"at":1796653363332,"type":"callFailed","callId":"01M98E5C2FVVMYHN94YPANA4HE-2","activity":"RetryFlaky","attempt":1,"error":"connection reset","retryAt":1796653433917}]', '{"event":{"type":"callFailed","call":2,"attempt":1,"error":"connection reset","retryable":true},"jitter":[0.176419064709592]}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C4W1ES6HE2854P5V3M3', 1, '[{"at":1796653363356,"type":"started","input":{"pauses":["2m","1s","1s"]}},{"at":1796653363356,"type":"callStarted","callId":"01M98E5C4W1ES6HE2854P5V3M3-1","activity":"PollStatus","args":[0],"attempt":1,"awaited":false,"line":54}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C6219CPZ66GGXDGX2WN', 1, '[{"at":1796653363394,"type":"started","input":{"id":9}},{"at":1796653363394,"type":"childStarted","runId":"01M98E5C629K5N0XTVYV6Z6QJH","flow":"SideJob"},{"at":1796653363394,"type":"childStarted","runId":"01M98E5C62G6E9HGQ84FMC6X52","flow":"ChildApproval"}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C629K5N0XTVYV6Z6QJH', 1, '[{"at":1796653363394,"type":"started","input":{"input":{"id":9}}},{"at":1796653363394,"type":"callStarted","callId":"01M98E5C629K5N0XTVYV6Z6QJH-1","activity":"SideWork","args":[9],"attempt":1,"awaited":false,"line":68}]', '{"child":{"func":13,"args":[{"id":9}],"captures":[],"input":{"input":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C62G6E9HGQ84FMC6X52', 1, '[{"at":1796653363394,"type":"started","input":{"req":{"id":9}}},{"at":1796653363394,"type":"callStarted","callId":"01M98E5C62G6E9HGQ84FMC6X52-1","activity":"ChildSignoff","args":[9],"attempt":1,"awaited":true,"line":3}]', '{"child":{"func":8,"args":[{"id":9}],"captures":[],"input":{"req":{"id":9}}},"depth":1}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C6VV26JMRQVD0A3XFNS', 1, '[{"at":1796653363419,"type":"started","input":{"id":5}},{"at":1796653363419,"type":"callStarted","callId":"01M98E5C6VV26JMRQVD0A3XFNS-1","activity":"SagaReserve","args":[5],"attempt":1,"awaited":false,"line":84}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C6VV26JMRQVD0A3XFNS', 2, '[{"at":1796653363440,"type":"callCompleted","callId":"01M98E5C6VV26JMRQVD0A3XFNS-1","activity":"SagaReserve","attempt":1,"value":{"ref":"r5"},"durationMs":21,"how":"returned"},{"at":1796653363440,"type":"callStarted","callId":"01M98E5C6VV26JMRQVD0A3XFNS-2","activity":"SagaDecide","args":["r5"],"attempt":1,"awaited":true,"line":88}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C82F8C38JFBC9K12F6B', 1, '[{"at":1796653363458,"type":"started","input":{"id":3}},{"at":1796653363458,"type":"callStarted","callId":"01M98E5C82F8C38JFBC9K12F6B-1","activity":"RepairFetch","args":[3],"attempt":1,"awaited":false,"line":98}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E59B29N6BTQFG32H0QCK2', 2, '[{"at":1796653360526,"type":"callCompleted","callId":"01M98E59B29N6BTQFG32H0QCK2-1","activity":"SideWork","attempt":1,"value":"side-ok","durationMs":44,"how":"returned"},{"at":1796653360526,"type":"completed","result":{"side":"side-ok"}}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E59B2G3KMM0BQZTKY1QRT', 2, '[{"at":1796653360526,"type":"childFinished","runId":"01M98E59B29N6BTQFG32H0QCK2","result":{"side":"side-ok"}}]', '{"event":{"type":"childFinished","child":0,"run_id":"01M98E59B29N6BTQFG32H0QCK2","result":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E59B2G3KMM0BQZTKY1QRT', 4, '[{"at":1796653361686,"type":"timerFired","key":"sleep:0"},{"at":1796653361686,"type":"timerStarted","until":1796653362686}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E59B2G3KMM0BQZTKY1QRT', 5, '[{"at":1796653362687,"type":"timerFired","key":"sleep:0"},{"at":1796653362687,"type":"completed","result":{"child":{"approved":true,"id":9},"side":{"side":"side-ok"},"n":2}}]', '{"event":{"type":"timerFired","key":"sleep:0"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BHCHZ6QGGGKS4NASA8M', 1, '[{"at":1796653362732,"type":"started","input":{"id":5}},{"at":1796653362732,"type":"callStarted","callId":"01M98E5BHCHZ6QGGGKS4NASA8M-1","activity":"SagaReserve","args":[5],"attempt":1,"awaited":false,"line":84}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BHCHZ6QGGGKS4NASA8M', 2, '[{"at":1796653362747,"type":"callCompleted","callId":"01M98E5BHCHZ6QGGGKS4NASA8M-1","activity":"SagaReserve","attempt":1,"value":{"ref":"r5"},"durationMs":15,"how":"returned"},{"at":1796653362747,"type":"callStarted","callId":"01M98E5BHCHZ6QGGGKS4NASA8M-2","activity":"SagaDecide","args":["r5"],"attempt":1,"awaited":true,"line":88}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BHCHZ6QGGGKS4NASA8M', 3, '[{"at":1796653362774,"type":"callCompleted","callId":"01M98E5BHCHZ6QGGGKS4NASA8M-2","activity":"SagaDecide","attempt":1,"value":{"ok":false},"durationMs":27,"how":"callback"},{"at":1796653362774,"type":"callStarted","callId":"01M98E5BHCHZ6QGGGKS4NASA8M-3","activity":"SagaRelease","args":["r5"],"attempt":1,"awaited":false,"line":86}]', '{"event":{"type":"callback","call":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BMDJ7JYKMTBNWY4F64T', 1, '[{"at":1796653362829,"type":"started","input":{"id":3}},{"at":1796653362829,"type":"callStarted","callId":"01M98E5BMDJ7JYKMTBNWY4F64T-1","activity":"RepairFetch","args":[3],"attempt":1,"awaited":false,"line":98}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BMDJ7JYKMTBNWY4F64T', 2, '[{"at":1796653362849,"type":"callFailed","callId":"01M98E5BMDJ7JYKMTBNWY4F64T-1","activity":"RepairFetch","attempt":1,"error":"not found","retryAt":null},{"at":1796653362849,"type":"failed","error":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}]', '{"event":{"type":"callFailed","call":1,"attempt":1,"error":"not found","retryable":false},"jitter":[0.2411601354841606]}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BMDJ7JYKMTBNWY4F64T', 3, '[{"at":1796653362874,"type":"retried"},{"at":1796653362874,"type":"callStarted","callId":"01M98E5BMDJ7JYKMTBNWY4F64T-1","activity":"RepairFetch","args":[3],"attempt":2,"awaited":false,"line":98}]', '{"event":{"type":"retry"}}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BMDJ7JYKMTBNWY4F64T', 4, '[{"at":1796653362976,"type":"callCompleted","callId":"01M98E5BMDJ7JYKMTBNWY4F64T-1","activity":"RepairFetch","attempt":2,"value":"fetched","durationMs":147,"how":"returned"},{"at":1796653362976,"type":"completed","result":{"fetched":"fetched"}}]', '{"event":{"type":"callCompleted","call":1,"attempt":2,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BSS8HMDSTZ8GJT4GQ91', 3, '[{"at":1796653363057,"type":"callCompleted","callId":"01M98E5BSS8HMDSTZ8GJT4GQ91-3","activity":"ForkAddress","attempt":1,"value":{"verified":true},"durationMs":56,"how":"returned"}]', '{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BX9G5WJ099GS35AK1YH', 1, '[{"at":1796653363113,"type":"started","input":{"machine":"GoldenTally","key":"control","seq":1,"command":"Add","commandId":"01M98E5BX9MB5NJ89CRMGCYYGY-1","state":{},"input":{"n":1}}},{"at":1796653363113,"type":"completed","result":{"ok":true,"state":{"total":1}}}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BX9MB5NJ89CRMGCYYGY', 1, '[{"at":1796653363113,"type":"started","input":{"key":"control"}},{"at":1796653363113,"type":"callStarted","callId":"01M98E5BX9MB5NJ89CRMGCYYGY-1","activity":"machine:GoldenTally.Add","args":["control",{"n":1}],"attempt":1,"awaited":false,"line":30},{"at":1796653363113,"type":"callCompleted","callId":"01M98E5BX9MB5NJ89CRMGCYYGY-1","activity":"machine:GoldenTally.Add","attempt":1,"value":{"key":"control","state":{"total":1},"version":1},"durationMs":0,"how":"returned"},{"at":1796653363113,"type":"callStarted","callId":"01M98E5BX9MB5NJ89CRMGCYYGY-2","activity":"TallyApprove","args":[1],"attempt":1,"awaited":true,"line":31}]', '{"steps":[{"entries":2,"cause":{}},{"entries":2,"cause":{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}}]}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BYMH3M37JX1SY5K70MH', 1, '[{"at":1796653363156,"type":"started","input":{"machine":"GoldenTally","key":"control","seq":2,"command":"Add","commandId":"01M98E5BX9MB5NJ89CRMGCYYGY-3","state":{"total":1},"input":{"n":41}}},{"at":1796653363156,"type":"completed","result":{"ok":true,"state":{"total":42}}}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BX9MB5NJ89CRMGCYYGY', 2, '[{"at":1796653363156,"type":"callCompleted","callId":"01M98E5BX9MB5NJ89CRMGCYYGY-2","activity":"TallyApprove","attempt":1,"value":{"n":41},"durationMs":43,"how":"callback"},{"at":1796653363156,"type":"callStarted","callId":"01M98E5BX9MB5NJ89CRMGCYYGY-3","activity":"machine:GoldenTally.Add","args":["control",{"n":41}],"attempt":1,"awaited":false,"line":32},{"at":1796653363156,"type":"callCompleted","callId":"01M98E5BX9MB5NJ89CRMGCYYGY-3","activity":"machine:GoldenTally.Add","attempt":1,"value":{"key":"control","state":{"total":42},"version":2},"durationMs":0,"how":"returned"},{"at":1796653363156,"type":"completed","result":{"first":1,"second":42,"version":2}}]', '{"steps":[{"entries":2,"cause":{"event":{"type":"callback","call":2,"value":null},"valueIn":0}},{"entries":2,"cause":{"event":{"type":"callCompleted","call":3,"attempt":1,"value":null},"valueIn":0}}]}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BZPDDGX4M89Y28Y236J', 1, '[{"at":1796653363190,"type":"started","input":{"items":["a","b","c"]}},{"at":1796653363190,"type":"callStarted","callId":"01M98E5BZPDDGX4M89Y28Y236J-1","activity":"LoopApprove","args":["a"],"attempt":1,"awaited":true,"line":13}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5BZPDDGX4M89Y28Y236J', 2, '[{"at":1796653363218,"type":"callCompleted","callId":"01M98E5BZPDDGX4M89Y28Y236J-1","activity":"LoopApprove","attempt":1,"value":{"points":1},"durationMs":28,"how":"callback"},{"at":1796653363218,"type":"callStarted","callId":"01M98E5BZPDDGX4M89Y28Y236J-2","activity":"LoopApprove","args":["b"],"attempt":1,"awaited":true,"line":13}]', '{"event":{"type":"callback","call":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C18NVXAW6X306KVDMY9', 1, '[{"at":1796653363240,"type":"started","input":{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"2m"}},{"at":1796653363240,"type":"callStarted","callId":"01M98E5C18NVXAW6X306KVDMY9-1","activity":"FanoutWork","args":[1],"attempt":1,"awaited":false,"line":36},{"at":1796653363240,"type":"callStarted","callId":"01M98E5C18NVXAW6X306KVDMY9-2","activity":"FanoutConfirm","args":[2],"attempt":1,"awaited":true,"line":25},{"at":1796653363240,"type":"timerStarted","until":1796653483240},{"at":1796653363240,"type":"callStarted","callId":"01M98E5C18NVXAW6X306KVDMY9-3","activity":"FanoutSlow","args":[4],"attempt":1,"awaited":false,"line":33}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C2FVVMYHN94YPANA4HE', 2, '[{"at":1796653363298,"type":"callCompleted","callId":"01M98E5C2FVVMYHN94YPANA4HE-1","activity":"RetryPrepare","attempt":1,"value":{"prepared":7},"durationMs":19,"how":"returned"},{"at":1796653363298,"type":"callStarted","callId":"01M98E5C2FVVMYHN94YPANA4HE-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":1,"awaited":false,"line":46}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C4W1ES6HE2854P5V3M3', 2, '[{"at":1796653363377,"type":"callCompleted","callId":"01M98E5C4W1ES6HE2854P5V3M3-1","activity":"PollStatus","attempt":1,"value":"pending","durationMs":21,"how":"returned"},{"at":1796653363377,"type":"timerStarted","until":1796653483377}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C82F8C38JFBC9K12F6B', 2, '[{"at":1796653363476,"type":"callFailed","callId":"01M98E5C82F8C38JFBC9K12F6B-1","activity":"RepairFetch","attempt":1,"error":"not found","retryAt":null},{"at":1796653363476,"type":"failed","error":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}]', '{"event":{"type":"callFailed","call":1,"attempt":1,"error":"not found","retryable":false},"jitter":[0.9998719544352077]}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C95E7XJJNXJE3CYY189', 1, '[{"at":1796653363493,"type":"started","input":{"id":5}},{"at":1796653363493,"type":"callStarted","callId":"01M98E5C95E7XJJNXJE3CYY189-1","activity":"ForkInventory","args":[5],"attempt":1,"awaited":false,"line":9},{"at":1796653363493,"type":"callStarted","callId":"01M98E5C95E7XJJNXJE3CYY189-2","activity":"ForkPayment","args":[5],"attempt":1,"awaited":false,"line":10},{"at":1796653363493,"type":"callStarted","callId":"01M98E5C95E7XJJNXJE3CYY189-3","activity":"ForkAddress","args":[5],"attempt":1,"awaited":false,"line":11}]', '{}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5C95E7XJJNXJE3CYY189', 2, '[{"at":1796653363513,"type":"callCompleted","callId":"01M98E5C95E7XJJNXJE3CYY189-1","activity":"ForkInventory","attempt":1,"value":{"reserved":5},"durationMs":20,"how":"returned"}]', '{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5CA9TZ4MSVHX7TAA76RX', 1, '[{"at":1796653363529,"type":"started","input":{"key":"golden"}},{"at":1796653363529,"type":"callStarted","callId":"01M98E5CA9TZ4MSVHX7TAA76RX-1","activity":"machine:GoldenTally.Add","args":["golden",{"n":1}],"attempt":1,"awaited":false,"line":30},{"at":1796653363529,"type":"callCompleted","callId":"01M98E5CA9TZ4MSVHX7TAA76RX-1","activity":"machine:GoldenTally.Add","attempt":1,"value":{"key":"golden","state":{"total":1},"version":1},"durationMs":0,"how":"returned"},{"at":1796653363529,"type":"callStarted","callId":"01M98E5CA9TZ4MSVHX7TAA76RX-2","activity":"TallyApprove","args":[1],"attempt":1,"awaited":true,"line":31}]', '{"steps":[{"entries":2,"cause":{}},{"entries":2,"cause":{"event":{"type":"callCompleted","call":1,"attempt":1,"value":null},"valueIn":0}}]}');
INSERT INTO weft_golden_src.journal VALUES ('01M98E5CA9VARXZNKNVEB0KV4H', 1, '[{"at":1796653363529,"type":"started","input":{"machine":"GoldenTally","key":"golden","seq":1,"command":"Add","commandId":"01M98E5CA9TZ4MSVHX7TAA76RX-1","state":{},"input":{"n":1}}},{"at":1796653363529,"type":"completed","result":{"ok":true,"state":{"total":1}}}]', '{}');


--
-- Data for Name: machine_commands; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.machine_commands VALUES ('GoldenTally', 'control', 1, '01M98E5BX9MB5NJ89CRMGCYYGY-1', 'applied', '{"machine":"GoldenTally","key":"control","seq":1,"command":"Add","input":{"n":1},"commandId":"01M98E5BX9MB5NJ89CRMGCYYGY-1","status":"applied","runId":"01M98E5BX9G5WJ099GS35AK1YH","version":1,"state":{"total":1},"error":null,"replies":[{"run_id":"01M98E5BX9MB5NJ89CRMGCYYGY","call":1,"attempt":1}],"createdAt":1796653363113,"finishedAt":1796653363113}');
INSERT INTO weft_golden_src.machine_commands VALUES ('GoldenTally', 'control', 2, '01M98E5BX9MB5NJ89CRMGCYYGY-3', 'applied', '{"machine":"GoldenTally","key":"control","seq":2,"command":"Add","input":{"n":41},"commandId":"01M98E5BX9MB5NJ89CRMGCYYGY-3","status":"applied","runId":"01M98E5BYMH3M37JX1SY5K70MH","version":2,"state":{"total":42},"error":null,"replies":[{"run_id":"01M98E5BX9MB5NJ89CRMGCYYGY","call":3,"attempt":1}],"createdAt":1796653363156,"finishedAt":1796653363156}');
INSERT INTO weft_golden_src.machine_commands VALUES ('GoldenTally', 'golden', 1, '01M98E5CA9TZ4MSVHX7TAA76RX-1', 'applied', '{"machine":"GoldenTally","key":"golden","seq":1,"command":"Add","input":{"n":1},"commandId":"01M98E5CA9TZ4MSVHX7TAA76RX-1","status":"applied","runId":"01M98E5CA9VARXZNKNVEB0KV4H","version":1,"state":{"total":1},"error":null,"replies":[{"run_id":"01M98E5CA9TZ4MSVHX7TAA76RX","call":1,"attempt":1}],"createdAt":1796653363529,"finishedAt":1796653363529}');


--
-- Data for Name: machine_events; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.machine_events VALUES (1, '{"type":"created","machine":"GoldenTally","key":"control","version":1,"command":"Add","commandId":"01M98E5BX9MB5NJ89CRMGCYYGY-1","state":{"total":1},"at":1796653363113}');
INSERT INTO weft_golden_src.machine_events VALUES (2, '{"type":"updated","machine":"GoldenTally","key":"control","version":2,"command":"Add","commandId":"01M98E5BX9MB5NJ89CRMGCYYGY-3","state":{"total":42},"at":1796653363156}');
INSERT INTO weft_golden_src.machine_events VALUES (3, '{"type":"created","machine":"GoldenTally","key":"golden","version":1,"command":"Add","commandId":"01M98E5CA9TZ4MSVHX7TAA76RX-1","state":{"total":1},"at":1796653363529}');


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

INSERT INTO weft_golden_src.machine_instances VALUES ('GoldenTally', 'control', '{"total":42}', 2, 3, 2, true, 1796653363113, 1796653363156, NULL, 1796653373156, 2);
INSERT INTO weft_golden_src.machine_instances VALUES ('GoldenTally', 'golden', '{"total":1}', 1, 2, 1, true, 1796653363529, 1796653363529, NULL, 1796653373529, 1);


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

INSERT INTO weft_golden_src.pollers VALUES ('FanoutSlow', 'golden', 'golden-maker-ba20e87f', 1796653349678);
INSERT INTO weft_golden_src.pollers VALUES ('FanoutSummarize', 'golden', 'golden-maker-ba20e87f', 1796653349736);
INSERT INTO weft_golden_src.pollers VALUES ('PollStatus', 'golden', 'golden-maker-ba20e87f', 1796653359087);
INSERT INTO weft_golden_src.pollers VALUES ('SideWork', 'golden', 'golden-maker-ba20e87f', 1796653360507);
INSERT INTO weft_golden_src.pollers VALUES ('SagaReserve', 'golden', 'golden-maker-ba20e87f', 1796653362738);
INSERT INTO weft_golden_src.pollers VALUES ('SagaRelease', 'golden', 'golden-maker-ba20e87f', 1796653362796);
INSERT INTO weft_golden_src.pollers VALUES ('RepairFetch', 'golden', 'golden-maker-ba20e87f', 1796653362838);
INSERT INTO weft_golden_src.pollers VALUES ('ForkInventory', 'golden', 'golden-maker-ba20e87f', 1796653363011);
INSERT INTO weft_golden_src.pollers VALUES ('ForkAddress', 'golden', 'golden-maker-ba20e87f', 1796653363045);
INSERT INTO weft_golden_src.pollers VALUES ('ForkPayment', 'golden', 'golden-maker-ba20e87f', 1796653363078);
INSERT INTO weft_golden_src.pollers VALUES ('FanoutWork', 'golden', 'golden-maker-ba20e87f', 1796653363249);
INSERT INTO weft_golden_src.pollers VALUES ('RetryPrepare', 'golden', 'golden-maker-ba20e87f', 1796653363287);
INSERT INTO weft_golden_src.pollers VALUES ('RetryFlaky', 'golden', 'golden-maker-ba20e87f', 1796653363320);


--
-- Data for Name: run_counts; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.run_counts VALUES (15, 'LoopAwait', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'Fanout', 'waiting', 0);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'Fanout', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'RetryPending', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'Poller', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'SideJob', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'ChildApproval', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'Parent', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'Saga', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'Repair', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'ForkJoin', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'TallyAround', 'completed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'LoopAwait', 'waiting', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'Fanout', 'running', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'RetryPending', 'running', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'Poller', 'running', 0);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'Poller', 'waiting', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'ChildApproval', 'waiting', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'Parent', 'waiting', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'SideJob', 'running', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'Saga', 'running', 0);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'Saga', 'waiting', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'Repair', 'failed', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'Repair', 'running', 0);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'ForkJoin', 'running', 1);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'GoldenTally.Add', 'completed', 3);
INSERT INTO weft_golden_src.run_counts VALUES (15, 'TallyAround', 'waiting', 1);


--
-- Data for Name: run_forks; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: runs; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.runs VALUES ('01M98E4SMRVTWFWF85PZVZ9YCY', 'LoopAwait', 1, 'completed', '{"items":["a","b","c"]}', '{"total":111,"seen":[{"item":"a","points":1},{"item":"b","points":10},{"item":"c","points":100}]}', NULL, '[]', NULL, NULL, NULL, 1796653344408, 1796653344584, 4, '\x020b0a80418108008241840b00864188448f0c40900b02c5746f74616c046fc47365656e0a030b02c46974656dc161c6706f696e7473410b02c46974656dc162c6706f696e74734a0b02c46974656dc163c6706f696e747304649104479343', NULL, 1796653354584, 4);
INSERT INTO weft_golden_src.runs VALUES ('01M98E4STZ5BHAR9A1MQQSESFB', 'Fanout', 1, 'completed', '{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"5s"}', '{"results":[{"id":1,"work":"w1"},{"id":2,"confirmed":true},{"id":3,"slept":true},{"id":4,"slow":"s4"}],"summary":{"count":4}}', NULL, '[]', NULL, NULL, NULL, 1796653344607, 1796653349746, 6, '\x020b0b80418108008242840b00864588458d418f0c40900b02c7726573756c74730a040b028141c4776f726bc277310b028142c9636f6e6669726d6564030b028143c5736c657074030b028144c4736c6f77c27334c773756d6d6172790b01c5636f756e744491046b9345', NULL, 1796653359716, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5BHCHZ6QGGGKS4NASA8M', 'Saga', 1, 'completed', '{"id":5}', '{"status":"compensated","undone":["released"]}', NULL, '[]', NULL, NULL, NULL, 1796653362732, 1796653362807, 4, '\x020b0a80418108008246840b00864188448f0c40900b028fcb636f6d70656e7361746564c6756e646f6e650a01c872656c6561736564917d9343', NULL, 1796653372774, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5BMDJ7JYKMTBNWY4F64T', 'Repair', 1, 'completed', '{"id":3}', '{"fetched":"fetched"}', NULL, '[]', NULL, NULL, NULL, 1796653362829, 1796653362976, 4, '\x020b0a80418108008247840b00864188428f0c40900b01c766657463686564c76665746368656491489341', NULL, 1796653372874, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M98E531EAKZJB8EZX6VGXBFP', 'Poller', 1, 'completed', '{"pauses":["5s","1s","1s"]}', '{"polls":["pending","pending","done"]}', NULL, '[]', NULL, NULL, NULL, 1796653354030, 1796653360464, 6, '\x020b0a80418108008244840b00864188448f0c40900b01c5706f6c6c730a03c770656e64696e67c770656e64696e67c4646f6e65917b9345', NULL, 1796653370449, 3);
INSERT INTO weft_golden_src.runs VALUES ('01M98E4YW56MBGERSKRYXDJZ7Y', 'RetryPending', 1, 'completed', '{"id":7,"pause":"5s"}', '{"prepared":{"prepared":7},"flaky":"flaky-ok"}', NULL, '[]', NULL, NULL, NULL, 1796653349765, 1796653354007, 5, '\x020b0a80418108008243840b00864188438f0c40900b02c870726570617265640b01080147c5666c616b79c8666c616b792d6f6b91529344', NULL, 1796653363987, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M98E59B23GCNJZXECY0GNZ8X', 'ChildApproval', 1, 'completed', '{"req":{"id":9}}', '{"approved":true,"id":9}', NULL, '[]', '01M98E59B2G3KMM0BQZTKY1QRT', NULL, NULL, 1796653360482, 1796653360576, 2, '\x020b0b804181080082488341840b00864188428f0c40900b02c8617070726f766564038149914d9341', NULL, 1796653370576, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M98E59B29N6BTQFG32H0QCK2', 'SideJob', 1, 'completed', '{"input":{"id":9}}', '{"side":"side-ok"}', NULL, '[]', '01M98E59B2G3KMM0BQZTKY1QRT', NULL, NULL, 1796653360482, 1796653360526, 2, '\x020b0b8041810800824d8341840b00864188428f0c40900b01c473696465c7736964652d6f6b91489341', NULL, 1796653370482, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M98E59B2G3KMM0BQZTKY1QRT', 'Parent', 1, 'completed', '{"id":9}', '{"child":{"approved":true,"id":9},"side":{"side":"side-ok"},"n":2}', NULL, '[]', NULL, NULL, NULL, 1796653360482, 1796653362687, 5, '\x020b0c80418108008245840b00864188418a0b01c1300b050c4209000a10394e3642545146473332483051434b320c43c7536964654a6f620c440b020c440c40be0b01c473696465c7736964652d6f6b0c450b04824da50a010b0181490c460a000c470b010c470b018149ba028b428f0c40900b039f0b02c8617070726f766564038149c4736964650b01c473696465c7736964652d6f6bc16e42916f9344', NULL, 1796653372687, 5);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5BSS8HMDSTZ8GJT4GQ91', 'ForkJoin', 1, 'completed', '{"id":5}', '{"ok":false,"errors":1}', NULL, '[]', NULL, NULL, NULL, 1796653363001, 1796653363090, 4, '\x020b0b80418108008249840b00864488448d448f0c40900b02c26f6b02c66572726f727341916c9343', NULL, 1796653373001, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5BX9G5WJ099GS35AK1YH', 'GoldenTally.Add', 1, 'completed', '{"machine":"GoldenTally","key":"control","seq":1,"command":"Add","commandId":"01M98E5BX9MB5NJ89CRMGCYYGY-1","state":{},"input":{"n":1}}', '{"ok":true,"state":{"total":1}}', NULL, '[]', NULL, NULL, NULL, 1796653363113, 1796653363113, 1, '\x020b0980418108008240840b00864188418f0c40900b02c26f6b030c440b01c5746f74616c419158', NULL, 1796653373113, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5C2FVVMYHN94YPANA4HE', 'RetryPending', 1, 'running', '{"id":7,"pause":"2m"}', NULL, NULL, '[{"kind":"activity","activity":"RetryFlaky","callId":"01M98E5C2FVVMYHN94YPANA4HE-2","callback":false,"token":null,"until":null}]', NULL, NULL, 'golden.weft:46', 1796653363279, 1796653363332, 3, '\x020b0b80418108008243840b01c1300b02940a010b038243984b990a030b028147c57061757365c2326d0b01c870726570617265644700960b019c428641870b01c1320b0fa309001a022d32a4ca5265747279466c616b79a50a010b01080147a640a741a943aa04c0a907ab04c0a907ac00ad02b0b6b104e2e08a87a534b204e2e08a87a534b3d0636f6e6e656374696f6e207265736574b40a02434a8843890b01c96261636b6f66663a320b02b404bd888f87a534b90b02b9b6ba428fb5914b9342', 'golden-maker-ba20e87f', 1796653373279, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5BX9MB5NJ89CRMGCYYGY', 'TallyAround', 1, 'completed', '{"key":"control"}', '{"first":1,"second":42,"version":2}', NULL, '[]', NULL, NULL, NULL, 1796653363113, 1796653363156, 2, '\x020b0a8041810800824a840b00864188448f0c40900b03c5666972737441c67365636f6e646ac776657273696f6e4291629343', NULL, 1796653373156, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5BYMH3M37JX1SY5K70MH', 'GoldenTally.Add', 1, 'completed', '{"machine":"GoldenTally","key":"control","seq":2,"command":"Add","commandId":"01M98E5BX9MB5NJ89CRMGCYYGY-3","state":{"total":1},"input":{"n":41}}', '{"ok":true,"state":{"total":42}}', NULL, '[]', NULL, NULL, NULL, 1796653363156, 1796653363156, 1, '\x020b0980418108008240840b00864188418f0c40900b02c26f6b030c440b01c5746f74616c6a9155', NULL, 1796653373156, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5BZPDDGX4M89Y28Y236J', 'LoopAwait', 1, 'waiting', '{"items":["a","b","c"]}', NULL, NULL, '[{"kind":"activity","activity":"LoopApprove","callId":"01M98E5BZPDDGX4M89Y28Y236J-2","callback":true,"token":"af5e7a32eb6e43ee6432e3275eeab3a4","until":4950253363218}]', NULL, NULL, 'golden.weft:13', 1796653363190, 1796653363218, 2, '\x020b0b80418108008241840b01c1300b02940a010b038241984b990a070b01c56974656d730a03c161c162c163410a010b02c46974656dc161c6706f696e747341c1620b01c6706f696e7473410a03c161c162c16342960b019c428641870b01c1320b0ea309001a022d32a4cb4c6f6f70417070726f7665a50a01c162a640a741aa04e807ab04e0a712ac0480e0d489e45bad03af0d10af5e7a32eb6e43ee6432e3275eeab3a4b0b5b10492e08a87a534b20492e08a87a534b40a02414a8843890b01c761776169743a320b02b40492c0df90899001b90b02b9bbba428fbf915e9341', NULL, 1796653373218, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5C18NVXAW6X306KVDMY9', 'Fanout', 1, 'running', '{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"2m"}', NULL, NULL, '[{"kind":"activity","activity":"FanoutConfirm","callId":"01M98E5C18NVXAW6X306KVDMY9-2","callback":true,"token":"82c988f329b15ff4ba46f850515c613b","until":4950253363240},{"kind":"timer","until":1796653483240},{"kind":"activity","activity":"FanoutSlow","callId":"01M98E5C18NVXAW6X306KVDMY9-3","callback":false,"token":null,"until":null}]', NULL, NULL, 'golden.weft:25', 1796653363240, 1796653363261, 2, '\x020b0d80418108008242840b04c1300b02940a010b0382429845990a030b02c56974656d730a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f77c57061757365c2326d0000960b01a140c1320b03940a010b03824c9849990a050b028142b9b70000000b02c56974656d730a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f77c57061757365c2326d960b019c42970a024041c1330b03940a010b03824c985a990a050b028143b9bd0000000b02c56974656d730a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f77c57061757365c2326d960b019dc7736c6565703a33970a024042c1340b03940a010b03824c986a990a050b028144b9c4736c6f770000000b02c56974656d730a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f77c57061757365c2326d960b019c43970a0240438645870b02c1320b0ea309001a022d32a4cd46616e6f7574436f6e6669726da50a0142a642a741aa04e807ab04e0a712ac0480e0d489e45bad03af0d1082c988f329b15ff4ba46f850515c613bb0b5b104a8e08a87a534b204a8e08a87a534b40a024c48c1330b0da309011b0133a4ca46616e6f7574536c6f77a50a0144a644a741aa04e807ab04e0a712ac00ad02b0b5b104a8e08a87a534b204a8e08a87a534b40a024c698844890b02c761776169743a320b02b404a8c0df90899001b90b02b9bbba42c7736c6565703a330b02b404e8899287a534b90b03b9bda643be008c0b01c1300b040c48c745786563757465a6400c490a040b010c4c0b028141c4776f726bc277310b010c4b420b010c4b430b010c4b440c4a0a020a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f770b02c224634c800a010b02c56974656d730a040b028141b9c4776f726b0b028142b9b70b028143b9bd0b028144b9c4736c6f77c57061757365c2326d8d418fb59104479341', 'golden-maker-ba20e87f', 1796653373240, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5C4W1ES6HE2854P5V3M3', 'Poller', 1, 'waiting', '{"pauses":["2m","1s","1s"]}', NULL, NULL, '[{"kind":"timer","until":1796653483377}]', NULL, NULL, 'golden.weft:59', 1796653363356, 1796653363377, 2, '\x020b0a80418108008244840b01c1300b02940a010b0382449859990a060b01c67061757365730a03c2326dc23173c231730a01c770656e64696e6740c770656e64696e670a0340414241960b019dc7736c6565703a3086418842890b01c7736c6565703a300b02b404f18a9287a534b90b03b9bda640be008fbf91579341', NULL, 1796653373356, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5C629K5N0XTVYV6Z6QJH', 'SideJob', 1, 'running', '{"input":{"id":9}}', NULL, NULL, '[{"kind":"activity","activity":"SideWork","callId":"01M98E5C629K5N0XTVYV6Z6QJH-1","callback":false,"token":null,"until":null}]', '01M98E5C6219CPZ66GGXDGX2WN', NULL, 'golden.weft:68', 1796653363394, 1796653363394, 1, '\x020b0a8041810800824d8341840b01c1300b02940a010b03824d9843990a020b01814900960b019c418641870b01c1310b0da309001a022d31a4c853696465576f726ba50a0149a640a741aa04e807ab04e0a712ac00ad02b0b5b104c2e18a87a534b204c2e18a87a534b40a024d4288428fb59143', 'golden-maker-ba20e87f', 1796653373394, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5C6219CPZ66GGXDGX2WN', 'Parent', 1, 'waiting', '{"id":9}', NULL, NULL, '[{"kind":"child","runId":"01M98E5C62G6E9HGQ84FMC6X52","flow":"ChildApproval"}]', NULL, NULL, 'golden.weft:71', 1796653363394, 1796653363394, 1, '\x020b0a80418108008245840b01c1300b02940a010b0382459848990a040b0181490b01c22468400000960b019e0b029f41a003864188418a0b02c1300b050c4209000a10394b354e305854565956365a36514a480c43c7536964654a6f620c440b010c44b50c450b04824da50a010b0181490c460a000c470b010c470b018149ba02c1310b050c4209000a10473645394847513834464d43365835320c43cd4368696c64417070726f76616c0c440b010c44b50c450b048248a50a010b0181490c460a000c470b01c37265710b018149ba038b428fbf9148', NULL, 1796653373394, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5C62G6E9HGQ84FMC6X52', 'ChildApproval', 1, 'waiting', '{"req":{"id":9}}', NULL, NULL, '[{"kind":"activity","activity":"ChildSignoff","callId":"01M98E5C62G6E9HGQ84FMC6X52-1","callback":true,"token":"00ba2211c11b7ac8c6e82f60e9a44d1f","until":4950253363394}]', '01M98E5C6219CPZ66GGXDGX2WN', NULL, 'children.weft:3', 1796653363394, 1796653363394, 1, '\x020b0b804181080082488341840b01c1300b02940a010b0382489844990a020b01814900960b019c418641870b01c1310b0ea309001a022d31a4cc4368696c645369676e6f6666a50a0149a640a741aa04e807ab04e0a712ac0480e0d489e45bad03af0d1000ba2211c11b7ac8c6e82f60e9a44d1fb0b5b104c2e18a87a534b204c2e18a87a534b40a0248438842890b01c761776169743a310b02b404c2c1df90899001b90b02b9bbba418fbf9144', NULL, 1796653373394, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5C6VV26JMRQVD0A3XFNS', 'Saga', 1, 'waiting', '{"id":5}', NULL, NULL, '[{"kind":"activity","activity":"SagaDecide","callId":"01M98E5C6VV26JMRQVD0A3XFNS-2","callback":true,"token":"2edab91331a1194e38d03d574b99ad58","until":4950253363440}]', NULL, NULL, 'golden.weft:88', 1796653363419, 1796653363440, 2, '\x020b0b80418108008246840b01c1300b02940a010b038246984f990a050b0181450a010b02c224634e800a010b01c3726566c272350b01c3726566c272350000960b019c428641870b01c1320b0ea309001a022d32a4ca53616761446563696465a50a01c27235a640a741aa04e807ab04e0a712ac0480e0d489e45bad03af0d102edab91331a1194e38d03d574b99ad58b0b5b104f0e18a87a534b204f0e18a87a534b40a02464e8843890b01c761776169743a320b02b404f0c1df90899001b90b02b9bbba428fbf914e9341', NULL, 1796653373419, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5C82F8C38JFBC9K12F6B', 'Repair', 1, 'failed', '{"id":3}', NULL, '{"message":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}', '[]', NULL, NULL, 'golden.weft:98', 1796653363458, 1796653363476, 2, '\x020b0b80418108008247840b01c1300b02940a010b0382479843990a020b0181430096a28641870b01c1310b0ea309001a022d31a4cb5265706169724665746368a50a0143a640a741aa04e807ab04e0a712ac00ad02b0b8b10482e28a87a534b20482e28a87a534b3c96e6f7420666f756e64b40a02474288428e0b01c1300b03b90b02b9baba410c4d09020b12206661696c65643a206e6f7420666f756e640c4e0b04c466696c65cb676f6c64656e2e776566740c560462c3636f6c4fca736f757263654c696e65df66657463686564203d20526570616972466574636828696e7075742e6964298fb891439341', NULL, 1796653373458, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5C95E7XJJNXJE3CYY189', 'ForkJoin', 1, 'running', '{"id":5}', NULL, NULL, '[{"kind":"activity","activity":"ForkPayment","callId":"01M98E5C95E7XJJNXJE3CYY189-2","callback":false,"token":null,"until":null},{"kind":"activity","activity":"ForkAddress","callId":"01M98E5C95E7XJJNXJE3CYY189-3","callback":false,"token":null,"until":null}]', NULL, NULL, 'edition2.weft:10', 1796653363493, 1796653363513, 2, '\x020b0c80418108008249840b03c1300b02940a010b0382499854990a050b01814500000000960b01a143c1320b03940a010b0382509843990a010b018145960b019c42970a024341c1330b03940a010b0382519843990a010b018145960b019c43970a0243428644870b02c1320b0ea309001a022d32a4cb466f726b5061796d656e74a50a0145a642a741aa04e807ab04e0a712ac00ad02ae03b0b5b104a5e28a87a534b204a5e28a87a534b40a025042c1330b0ea309011b0133a4cb466f726b41646472657373a50a0145a643a741aa04e807ab04e0a712ac00ad02ae03b0b5b104a5e28a87a534b204a5e28a87a534b40a02514288448c0b01c1330b040c48c3416c6ca6400c490a030b010c4c0b01c87265736572766564450b010c4b420b010c4b430c4a0a010a030b01c22462400b01c22462410b01c22462428d448fb5915e9341', 'golden-maker-ba20e87f', 1796653373493, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5CA9TZ4MSVHX7TAA76RX', 'TallyAround', 1, 'waiting', '{"key":"golden"}', NULL, NULL, '[{"kind":"activity","activity":"TallyApprove","callId":"01M98E5CA9TZ4MSVHX7TAA76RX-2","callback":true,"token":"2ed70c00d72a04401277f48506d995c6","until":4950253363529}]', NULL, NULL, 'edition2.weft:31', 1796653363529, 1796653363529, 1, '\x020b0b8041810800824a840b01c1300b02940a010b03824a984c990a040b010c5bc6676f6c64656e0b030c5bc6676f6c64656e0c440b01c5746f74616c41c776657273696f6e410000960b019c428641870b01c1320b0ea309001a022d32a4cc54616c6c79417070726f7665a50a0141a640a741aa04e807ab04e0a712ac0480e0d489e45bad03af0d102ed70c00d72a04401277f48506d995c6b0b5b104c9e28a87a534b204c9e28a87a534b40a024a4b8843890b01c761776169743a320b02b404c9c2df90899001b90b02b9bbba428fbf914c9341', NULL, 1796653373529, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M98E5CA9VARXZNKNVEB0KV4H', 'GoldenTally.Add', 1, 'completed', '{"machine":"GoldenTally","key":"golden","seq":1,"command":"Add","commandId":"01M98E5CA9TZ4MSVHX7TAA76RX-1","state":{},"input":{"n":1}}', '{"ok":true,"state":{"total":1}}', NULL, '[]', NULL, NULL, NULL, 1796653363529, 1796653363529, 1, '\x020b0980418108008240840b00864188418f0c40900b02c26f6b030c440b01c5746f74616c419158', NULL, 1796653373529, 1);


--
-- Data for Name: schedules; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.schema_migrations VALUES (1, 'runs, journal, timers, tasks, tokens, deployments', '2026-12-07 14:22:24.122349+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (2, 'clusters: run leases, the inbox, task leases', '2026-12-07 14:22:24.122349+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (3, 'tasks: the node holding the run, leased through it first', '2026-12-07 14:22:24.122349+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (4, 'stored programs; runs parked because a build could not read them', '2026-12-07 14:22:24.122349+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (5, 'machines: instances, commands, the index of states, events, the instance inbox', '2026-12-07 14:22:24.122349+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (6, 'operating at scale: run counts, list indexes, forks, step causes, audit log', '2026-12-07 14:22:24.122349+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (7, 'events and schedules that start flows: each event id taken once, schedules'' rows by revision', '2026-12-07 14:22:24.122349+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (8, 'pull sources'' cursors', '2026-12-07 14:22:24.122349+00');


--
-- Data for Name: source_cursors; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: tasks; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.tasks VALUES ('01M98E5BZPDDGX4M89Y28Y236J-2', '01M98E5BZPDDGX4M89Y28Y236J', '{"callId":"01M98E5BZPDDGX4M89Y28Y236J-2","runId":"01M98E5BZPDDGX4M89Y28Y236J","call":2,"activity":"LoopApprove","args":["b"],"attempt":1,"deadline":null,"callbackToken":"af5e7a32eb6e43ee6432e3275eeab3a4"}', 'LoopApprove', NULL, 1796653363268, 'golden-maker-ba20e87f');
INSERT INTO weft_golden_src.tasks VALUES ('01M98E5C18NVXAW6X306KVDMY9-2', '01M98E5C18NVXAW6X306KVDMY9', '{"callId":"01M98E5C18NVXAW6X306KVDMY9-2","runId":"01M98E5C18NVXAW6X306KVDMY9","call":2,"activity":"FanoutConfirm","args":[2],"attempt":1,"deadline":null,"callbackToken":"82c988f329b15ff4ba46f850515c613b"}', 'FanoutConfirm', NULL, 1796653363290, 'golden-maker-ba20e87f');
INSERT INTO weft_golden_src.tasks VALUES ('01M98E5C18NVXAW6X306KVDMY9-3', '01M98E5C18NVXAW6X306KVDMY9', '{"callId":"01M98E5C18NVXAW6X306KVDMY9-3","runId":"01M98E5C18NVXAW6X306KVDMY9","call":3,"activity":"FanoutSlow","args":[4],"attempt":1,"deadline":null,"callbackToken":null}', 'FanoutSlow', NULL, 1796653363290, 'golden-maker-ba20e87f');
INSERT INTO weft_golden_src.tasks VALUES ('01M98E5C629K5N0XTVYV6Z6QJH-1', '01M98E5C629K5N0XTVYV6Z6QJH', '{"callId":"01M98E5C629K5N0XTVYV6Z6QJH-1","runId":"01M98E5C629K5N0XTVYV6Z6QJH","call":1,"activity":"SideWork","args":[9],"attempt":1,"deadline":null,"callbackToken":null}', 'SideWork', NULL, 1796653363444, 'golden-maker-ba20e87f');
INSERT INTO weft_golden_src.tasks VALUES ('01M98E5C62G6E9HGQ84FMC6X52-1', '01M98E5C62G6E9HGQ84FMC6X52', '{"callId":"01M98E5C62G6E9HGQ84FMC6X52-1","runId":"01M98E5C62G6E9HGQ84FMC6X52","call":1,"activity":"ChildSignoff","args":[9],"attempt":1,"deadline":null,"callbackToken":"00ba2211c11b7ac8c6e82f60e9a44d1f"}', 'ChildSignoff', NULL, 1796653363444, 'golden-maker-ba20e87f');
INSERT INTO weft_golden_src.tasks VALUES ('01M98E5C6VV26JMRQVD0A3XFNS-2', '01M98E5C6VV26JMRQVD0A3XFNS', '{"callId":"01M98E5C6VV26JMRQVD0A3XFNS-2","runId":"01M98E5C6VV26JMRQVD0A3XFNS","call":2,"activity":"SagaDecide","args":["r5"],"attempt":1,"deadline":null,"callbackToken":"2edab91331a1194e38d03d574b99ad58"}', 'SagaDecide', NULL, 1796653363490, 'golden-maker-ba20e87f');
INSERT INTO weft_golden_src.tasks VALUES ('01M98E5C95E7XJJNXJE3CYY189-2', '01M98E5C95E7XJJNXJE3CYY189', '{"callId":"01M98E5C95E7XJJNXJE3CYY189-2","runId":"01M98E5C95E7XJJNXJE3CYY189","call":2,"activity":"ForkPayment","args":[5],"attempt":1,"deadline":null,"callbackToken":null}', 'ForkPayment', NULL, 1796653363543, 'golden-maker-ba20e87f');
INSERT INTO weft_golden_src.tasks VALUES ('01M98E5C95E7XJJNXJE3CYY189-3', '01M98E5C95E7XJJNXJE3CYY189', '{"callId":"01M98E5C95E7XJJNXJE3CYY189-3","runId":"01M98E5C95E7XJJNXJE3CYY189","call":3,"activity":"ForkAddress","args":[5],"attempt":1,"deadline":null,"callbackToken":null}', 'ForkAddress', NULL, 1796653363543, 'golden-maker-ba20e87f');
INSERT INTO weft_golden_src.tasks VALUES ('01M98E5CA9TZ4MSVHX7TAA76RX-2', '01M98E5CA9TZ4MSVHX7TAA76RX', '{"callId":"01M98E5CA9TZ4MSVHX7TAA76RX-2","runId":"01M98E5CA9TZ4MSVHX7TAA76RX","call":2,"activity":"TallyApprove","args":[1],"attempt":1,"deadline":null,"callbackToken":"2ed70c00d72a04401277f48506d995c6"}', 'TallyApprove', NULL, 1796653363579, 'golden-maker-ba20e87f');


--
-- Data for Name: timers; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.timers VALUES ('01M98E5BZPDDGX4M89Y28Y236J', 'await:2', 4950253363218);
INSERT INTO weft_golden_src.timers VALUES ('01M98E5C18NVXAW6X306KVDMY9', 'await:2', 4950253363240);
INSERT INTO weft_golden_src.timers VALUES ('01M98E5C18NVXAW6X306KVDMY9', 'sleep:3', 1796653483240);
INSERT INTO weft_golden_src.timers VALUES ('01M98E5C2FVVMYHN94YPANA4HE', 'backoff:2', 1796653433917);
INSERT INTO weft_golden_src.timers VALUES ('01M98E5C4W1ES6HE2854P5V3M3', 'sleep:0', 1796653483377);
INSERT INTO weft_golden_src.timers VALUES ('01M98E5C62G6E9HGQ84FMC6X52', 'await:1', 4950253363394);
INSERT INTO weft_golden_src.timers VALUES ('01M98E5C6VV26JMRQVD0A3XFNS', 'await:2', 4950253363440);
INSERT INTO weft_golden_src.timers VALUES ('01M98E5CA9TZ4MSVHX7TAA76RX', 'await:2', 4950253363529);


--
-- Data for Name: tokens; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.tokens VALUES ('36ded5e852a4ea5506620e43ec14f2ac', '01M98E4SMRVTWFWF85PZVZ9YCY', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('f34eecde868577a04b5956cdd4efd01c', '01M98E4SMRVTWFWF85PZVZ9YCY', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('a8a22eafb2d31af545a5a504615d6677', '01M98E4SMRVTWFWF85PZVZ9YCY', 3, false);
INSERT INTO weft_golden_src.tokens VALUES ('0b7146d75c0ac6271b65a41ed377c2a6', '01M98E4STZ5BHAR9A1MQQSESFB', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('4f1ac6f2bd53361f756c04554a097f0b', '01M98E59B23GCNJZXECY0GNZ8X', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('313cf546a4b45477c9c1f577d27e8e98', '01M98E5BHCHZ6QGGGKS4NASA8M', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('b30a02f862febb24108450594941cd34', '01M98E5BX9MB5NJ89CRMGCYYGY', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('af5e7a32eb6e43ee6432e3275eeab3a4', '01M98E5BZPDDGX4M89Y28Y236J', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('ef21e7b14be093d5bc732840a17ca8a7', '01M98E5BZPDDGX4M89Y28Y236J', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('82c988f329b15ff4ba46f850515c613b', '01M98E5C18NVXAW6X306KVDMY9', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('00ba2211c11b7ac8c6e82f60e9a44d1f', '01M98E5C62G6E9HGQ84FMC6X52', 1, true);
INSERT INTO weft_golden_src.tokens VALUES ('2edab91331a1194e38d03d574b99ad58', '01M98E5C6VV26JMRQVD0A3XFNS', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('2ed70c00d72a04401277f48506d995c6', '01M98E5CA9TZ4MSVHX7TAA76RX', 2, true);


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


