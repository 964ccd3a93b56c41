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
    created_at bigint NOT NULL
);


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
    entries json NOT NULL
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
-- Name: schema_migrations; Type: TABLE; Schema: weft_golden_src; Owner: -
--

CREATE TABLE weft_golden_src.schema_migrations (
    version integer NOT NULL,
    description text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
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
-- Name: inbox id; Type: DEFAULT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.inbox ALTER COLUMN id SET DEFAULT nextval('weft_golden_src.inbox_id_seq'::regclass);


--
-- Data for Name: deployment_flows; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.deployment_flows VALUES ('Repair', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('RetryPending', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('Fanout', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('ChildApproval', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('LoopAwait', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('Poller', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('Saga', 1);
INSERT INTO weft_golden_src.deployment_flows VALUES ('Parent', 1);


--
-- Data for Name: deployments; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.deployments VALUES (1, '["LoopAwait","Fanout","RetryPending","Poller","Parent","Saga","Repair","ChildApproval"]', '[{"name":"golden.weft","text":"// Flows whose runs a release leaves waiting as golden data\n// (scripts/make-golden.sh; crates/weft-cli/tests/golden.rs finishes them\n// with every later build). Each flow calls activities of its own, so a\n// poll for one activity only ever finds the task of one run. Timers armed\n// before the server stops take `input.pause` (minutes in the golden run,\n// seconds in its control run); timers armed after take seconds.\n\n// A wait inside a loop: one callback per item, with a running total.\nflow LoopAwait(input) {\n    total = 0\n    seen = []\n    for item in input.items {\n        answer = await LoopApprove(item) @timeout(36500d)\n        total += answer.points\n        seen = append(seen, {item: item, points: answer.points})\n    }\n    return {total: total, seen: seen}\n}\n\n// Branches of ParallelForEach, each waiting for something else: a\n// callback, a timer, a task; one is done before the server stops.\nflow Fanout(input) {\n    results = ParallelForEach(input.items, func(item) {\n        if item.kind == \"callback\" {\n            r = await FanoutConfirm(item.id) @timeout(36500d)\n            return {id: item.id, confirmed: r.ok}\n        }\n        if item.kind == \"sleep\" {\n            Sleep(input.pause)\n            return {id: item.id, slept: true}\n        }\n        if item.kind == \"slow\" {\n            s = FanoutSlow(item.id)\n            return {id: item.id, slow: s}\n        }\n        w = FanoutWork(item.id)\n        return {id: item.id, work: w}\n    })\n    summary = FanoutSummarize(len(results))\n    return {results: results, summary: summary}\n}\n\n// A call whose failed attempt waits out its back-off.\nflow RetryPending(input) {\n    prepared = RetryPrepare(input.id)\n    flaky = RetryFlaky(prepared) @retry(3, backoff: input.pause, maxBackoff: input.pause)\n    return {prepared: prepared, flaky: flaky}\n}\n\n// Timers in a loop: the run sleeps between polls.\nflow Poller(input) {\n    polls = []\n    for i in range(len(input.pauses)) {\n        status = PollStatus(i)\n        polls = append(polls, status)\n        if status == \"done\" {\n            break\n        }\n        Sleep(input.pauses[i])\n    }\n    return {polls: polls}\n}\n\n// Sub-flows: a called flow waits for a callback while an inline flow waits\n// for a task; after both, the parent sleeps in a loop.\nflow Parent(input) {\n    side = flow SideJob(input) {\n        s = SideWork(input.id)\n        return {side: s}\n    }\n    child = ChildApproval({id: input.id})\n    n = 0\n    while n < 2 {\n        Sleep(1s)\n        n++\n    }\n    return {child: child, side: side, n: n}\n}\n\n// A saga: a compensation kept as a closure while the run waits for a\n// decision, run by the prelude''s RunCompensations.\nflow Saga(input) {\n    var undo = []\n    reserved = SagaReserve(input.id)\n    undo = append(undo, func() {\n        return SagaRelease(reserved.ref)\n    })\n    decision = await SagaDecide(reserved.ref) @timeout(36500d)\n    if decision.ok != true {\n        undone = RunCompensations(undo)\n        return {status: \"compensated\", undone: undone}\n    }\n    return {status: \"kept\", ref: reserved.ref}\n}\n\n// A call that failed for good: the run waits for an operator.\nflow Repair(input) {\n    fetched = RepairFetch(input.id)\n    return {fetched: fetched}\n}\n"},{"name":"children.weft","text":"// A flow of a second file, called from golden.weft''s Parent.\nflow ChildApproval(req) {\n    signed = await ChildSignoff(req.id) @timeout(36500d)\n    return {approved: signed.approved, id: req.id}\n}\n"}]', 1796574048319);


--
-- Data for Name: idempotency_keys; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: inbox; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: journal; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.journal VALUES ('01M962GW9QS2KS3RY1PX30B2CD', 1, '[{"at":1796574048567,"type":"started","input":{"items":["a","b","c"]}},{"at":1796574048567,"type":"callStarted","callId":"01M962GW9QS2KS3RY1PX30B2CD-1","activity":"LoopApprove","args":["a"],"attempt":1,"awaited":true,"line":13}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962GW9QS2KS3RY1PX30B2CD', 2, '[{"at":1796574048640,"type":"callCompleted","callId":"01M962GW9QS2KS3RY1PX30B2CD-1","activity":"LoopApprove","attempt":1,"value":{"points":1},"durationMs":73,"how":"callback"},{"at":1796574048640,"type":"callStarted","callId":"01M962GW9QS2KS3RY1PX30B2CD-2","activity":"LoopApprove","args":["b"],"attempt":1,"awaited":true,"line":13}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962GW9QS2KS3RY1PX30B2CD', 3, '[{"at":1796574048703,"type":"callCompleted","callId":"01M962GW9QS2KS3RY1PX30B2CD-2","activity":"LoopApprove","attempt":1,"value":{"points":10},"durationMs":63,"how":"callback"},{"at":1796574048703,"type":"callStarted","callId":"01M962GW9QS2KS3RY1PX30B2CD-3","activity":"LoopApprove","args":["c"],"attempt":1,"awaited":true,"line":13}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962GW9QS2KS3RY1PX30B2CD', 4, '[{"at":1796574048766,"type":"callCompleted","callId":"01M962GW9QS2KS3RY1PX30B2CD-3","activity":"LoopApprove","attempt":1,"value":{"points":100},"durationMs":63,"how":"callback"},{"at":1796574048766,"type":"completed","result":{"seen":[{"item":"a","points":1},{"item":"b","points":10},{"item":"c","points":100}],"total":111}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962GWHW3802X094M09Y9VBM', 1, '[{"at":1796574048828,"type":"started","input":{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"5s"}},{"at":1796574048828,"type":"callStarted","callId":"01M962GWHW3802X094M09Y9VBM-1","activity":"FanoutWork","args":[1],"attempt":1,"awaited":false,"line":36},{"at":1796574048828,"type":"callStarted","callId":"01M962GWHW3802X094M09Y9VBM-2","activity":"FanoutConfirm","args":[2],"attempt":1,"awaited":true,"line":25},{"at":1796574048828,"type":"timerStarted","until":1796574053828},{"at":1796574048828,"type":"callStarted","callId":"01M962GWHW3802X094M09Y9VBM-3","activity":"FanoutSlow","args":[4],"attempt":1,"awaited":false,"line":33}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962GWHW3802X094M09Y9VBM', 2, '[{"at":1796574049129,"type":"callCompleted","callId":"01M962GWHW3802X094M09Y9VBM-1","activity":"FanoutWork","attempt":1,"value":"w1","durationMs":301,"how":"returned"}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962GWHW3802X094M09Y9VBM', 3, '[{"at":1796574053910,"type":"timerFired","key":"sleep:3"}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962GWHW3802X094M09Y9VBM', 4, '[{"at":1796574053952,"type":"callCompleted","callId":"01M962GWHW3802X094M09Y9VBM-3","activity":"FanoutSlow","attempt":1,"value":"s4","durationMs":5124,"how":"returned"}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962GWHW3802X094M09Y9VBM', 5, '[{"at":1796574054005,"type":"callCompleted","callId":"01M962GWHW3802X094M09Y9VBM-2","activity":"FanoutConfirm","attempt":1,"value":{"ok":true},"durationMs":5177,"how":"callback"},{"at":1796574054005,"type":"callStarted","callId":"01M962GWHW3802X094M09Y9VBM-4","activity":"FanoutSummarize","args":[4],"attempt":1,"awaited":false,"line":39}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962GWHW3802X094M09Y9VBM', 6, '[{"at":1796574054049,"type":"callCompleted","callId":"01M962GWHW3802X094M09Y9VBM-4","activity":"FanoutSummarize","attempt":1,"value":{"count":4},"durationMs":44,"how":"returned"},{"at":1796574054049,"type":"completed","result":{"results":[{"id":1,"work":"w1"},{"confirmed":true,"id":2},{"id":3,"slept":true},{"id":4,"slow":"s4"}],"summary":{"count":4}}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962H1QME45MX517VFWHZF6A', 1, '[{"at":1796574054132,"type":"started","input":{"id":7,"pause":"5s"}},{"at":1796574054132,"type":"callStarted","callId":"01M962H1QME45MX517VFWHZF6A-1","activity":"RetryPrepare","args":[7],"attempt":1,"awaited":false,"line":45}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962H1QME45MX517VFWHZF6A', 2, '[{"at":1796574054188,"type":"callCompleted","callId":"01M962H1QME45MX517VFWHZF6A-1","activity":"RetryPrepare","attempt":1,"value":{"prepared":7},"durationMs":56,"how":"returned"},{"at":1796574054188,"type":"callStarted","callId":"01M962H1QME45MX517VFWHZF6A-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":1,"awaited":false,"line":46}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962H1QME45MX517VFWHZF6A', 3, '[{"at":1796574054323,"type":"callFailed","callId":"01M962H1QME45MX517VFWHZF6A-2","activity":"RetryFlaky","attempt":1,"error":"connection reset","retryAt":1796574057254}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962H1QME45MX517VFWHZF6A', 4, '[{"at":1796574057421,"type":"timerFired","key":"backoff:2"},{"at":1796574057421,"type":"callStarted","callId":"01M962H1QME45MX517VFWHZF6A-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":2,"awaited":false,"line":46}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962H1QME45MX517VFWHZF6A', 5, '[{"at":1796574057446,"type":"callCompleted","callId":"01M962H1QME45MX517VFWHZF6A-2","activity":"RetryFlaky","attempt":2,"value":"flaky-ok","durationMs":3258,"how":"returned"},{"at":1796574057446,"type":"completed","result":{"flaky":"flaky-ok","prepared":{"prepared":7}}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962H50KS428JFFJMHTS0JDH', 1, '[{"at":1796574057491,"type":"started","input":{"pauses":["5s","1s","1s"]}},{"at":1796574057491,"type":"callStarted","callId":"01M962H50KS428JFFJMHTS0JDH-1","activity":"PollStatus","args":[0],"attempt":1,"awaited":false,"line":54}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962H50KS428JFFJMHTS0JDH', 2, '[{"at":1796574057560,"type":"callCompleted","callId":"01M962H50KS428JFFJMHTS0JDH-1","activity":"PollStatus","attempt":1,"value":"pending","durationMs":69,"how":"returned"},{"at":1796574057560,"type":"timerStarted","until":1796574062560}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962H50KS428JFFJMHTS0JDH', 3, '[{"at":1796574062733,"type":"timerFired","key":"sleep:0"},{"at":1796574062733,"type":"callStarted","callId":"01M962H50KS428JFFJMHTS0JDH-2","activity":"PollStatus","args":[1],"attempt":1,"awaited":false,"line":54}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962H50KS428JFFJMHTS0JDH', 4, '[{"at":1796574062791,"type":"callCompleted","callId":"01M962H50KS428JFFJMHTS0JDH-2","activity":"PollStatus","attempt":1,"value":"pending","durationMs":58,"how":"returned"},{"at":1796574062791,"type":"timerStarted","until":1796574063791}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962H50KS428JFFJMHTS0JDH', 5, '[{"at":1796574063966,"type":"timerFired","key":"sleep:0"},{"at":1796574063966,"type":"callStarted","callId":"01M962H50KS428JFFJMHTS0JDH-3","activity":"PollStatus","args":[2],"attempt":1,"awaited":false,"line":54}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962H50KS428JFFJMHTS0JDH', 6, '[{"at":1796574063994,"type":"callCompleted","callId":"01M962H50KS428JFFJMHTS0JDH-3","activity":"PollStatus","attempt":1,"value":"done","durationMs":28,"how":"returned"},{"at":1796574063994,"type":"completed","result":{"polls":["pending","pending","done"]}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HBCEH081DT9Z4Y6YC596', 1, '[{"at":1796574064014,"type":"started","input":{"req":{"id":9}}},{"at":1796574064014,"type":"callStarted","callId":"01M962HBCEH081DT9Z4Y6YC596-1","activity":"ChildSignoff","args":[9],"attempt":1,"awaited":true,"line":3}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HBCESMHDAYTNWVKM8YYD', 1, '[{"at":1796574064014,"type":"started","input":{"input":{"id":9}}},{"at":1796574064014,"type":"callStarted","callId":"01M962HBCESMHDAYTNWVKM8YYD-1","activity":"SideWork","args":[9],"attempt":1,"awaited":false,"line":68}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HBCEY6B40KZF024MG0QH', 1, '[{"at":1796574064014,"type":"started","input":{"id":9}},{"at":1796574064014,"type":"childStarted","runId":"01M962HBCESMHDAYTNWVKM8YYD","flow":"SideJob"},{"at":1796574064014,"type":"childStarted","runId":"01M962HBCEH081DT9Z4Y6YC596","flow":"ChildApproval"}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HBCESMHDAYTNWVKM8YYD', 2, '[{"at":1796574064061,"type":"callCompleted","callId":"01M962HBCESMHDAYTNWVKM8YYD-1","activity":"SideWork","attempt":1,"value":"side-ok","durationMs":47,"how":"returned"},{"at":1796574064061,"type":"completed","result":{"side":"side-ok"}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HBCEY6B40KZF024MG0QH', 2, '[{"at":1796574064061,"type":"childFinished","runId":"01M962HBCESMHDAYTNWVKM8YYD","result":{"side":"side-ok"}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HBCEH081DT9Z4Y6YC596', 2, '[{"at":1796574064094,"type":"callCompleted","callId":"01M962HBCEH081DT9Z4Y6YC596-1","activity":"ChildSignoff","attempt":1,"value":{"approved":true},"durationMs":80,"how":"callback"},{"at":1796574064094,"type":"completed","result":{"approved":true,"id":9}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HBCEY6B40KZF024MG0QH', 3, '[{"at":1796574064094,"type":"childFinished","runId":"01M962HBCEH081DT9Z4Y6YC596","result":{"approved":true,"id":9}},{"at":1796574064094,"type":"timerStarted","until":1796574065094}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HDMYRW0VAM39J99RXFVD', 4, '[{"at":1796574066470,"type":"callCompleted","callId":"01M962HDMYRW0VAM39J99RXFVD-3","activity":"SagaRelease","attempt":1,"value":"released","durationMs":71,"how":"returned"},{"at":1796574066470,"type":"completed","result":{"status":"compensated","undone":["released"]}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HDTDPJD9CZ7NS6S07AER', 1, '[{"at":1796574066509,"type":"started","input":{"id":3}},{"at":1796574066509,"type":"callStarted","callId":"01M962HDTDPJD9CZ7NS6S07AER-1","activity":"RepairFetch","args":[3],"attempt":1,"awaited":false,"line":98}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HDTDPJD9CZ7NS6S07AER', 2, '[{"at":1796574066537,"type":"callFailed","callId":"01M962HDTDPJD9CZ7NS6S07AER-1","activity":"RepairFetch","attempt":1,"error":"not found","retryAt":null},{"at":1796574066537,"type":"failed","error":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HDTDPJD9CZ7NS6S07AER', 3, '[{"at":1796574066550,"type":"retried"},{"at":1796574066550,"type":"callStarted","callId":"01M962HDTDPJD9CZ7NS6S07AER-1","activity":"RepairFetch","args":[3],"attempt":2,"awaited":false,"line":98}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HDYCCCQQXH79DCC85974', 1, '[{"at":1796574066636,"type":"started","input":{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"2m"}},{"at":1796574066636,"type":"callStarted","callId":"01M962HDYCCCQQXH79DCC85974-1","activity":"FanoutWork","args":[1],"attempt":1,"awaited":false,"line":36},{"at":1796574066636,"type":"callStarted","callId":"01M962HDYCCCQQXH79DCC85974-2","activity":"FanoutConfirm","args":[2],"attempt":1,"awaited":true,"line":25},{"at":1796574066636,"type":"timerStarted","until":1796574186636},{"at":1796574066636,"type":"callStarted","callId":"01M962HDYCCCQQXH79DCC85974-3","activity":"FanoutSlow","args":[4],"attempt":1,"awaited":false,"line":33}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HDYCCCQQXH79DCC85974', 2, '[{"at":1796574066652,"type":"callCompleted","callId":"01M962HDYCCCQQXH79DCC85974-1","activity":"FanoutWork","attempt":1,"value":"w1","durationMs":16,"how":"returned"}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HDZ55CKSJAATTT3ED6V4', 1, '[{"at":1796574066661,"type":"started","input":{"id":7,"pause":"2m"}},{"at":1796574066661,"type":"callStarted","callId":"01M962HDZ55CKSJAATTT3ED6V4-1","activity":"RetryPrepare","args":[7],"attempt":1,"awaited":false,"line":45}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HDZ55CKSJAATTT3ED6V4', 2, '[{"at":1796574066672,"type":"callCompleted","callId":"01M962HDZ55CKSJAATTT3ED6V4-1","activity":"RetryPrepare","attempt":1,"value":{"prepared":7},"durationMs":11,"how":"returned"},{"at":1796574066672,"type":"callStarted","callId":"01M962HDZ55CKSJAATTT3ED6V4-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":1,"awaited":false,"line":46}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HE17GDWRC7YVDZTPJ53K', 2, '[{"at":1796574066750,"type":"callCompleted","callId":"01M962HE17GDWRC7YVDZTPJ53K-1","activity":"PollStatus","attempt":1,"value":"pending","durationMs":23,"how":"returned"},{"at":1796574066750,"type":"timerStarted","until":1796574186750}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HE273G5FNFS4G9F8EHGE', 1, '[{"at":1796574066759,"type":"started","input":{"req":{"id":9}}},{"at":1796574066759,"type":"callStarted","callId":"01M962HE273G5FNFS4G9F8EHGE-1","activity":"ChildSignoff","args":[9],"attempt":1,"awaited":true,"line":3}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HE275Y1ME4Q51SJGJSYM', 1, '[{"at":1796574066759,"type":"started","input":{"id":9}},{"at":1796574066759,"type":"childStarted","runId":"01M962HE27T5VPSW6MC2TMHPSE","flow":"SideJob"},{"at":1796574066759,"type":"childStarted","runId":"01M962HE273G5FNFS4G9F8EHGE","flow":"ChildApproval"}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HE27T5VPSW6MC2TMHPSE', 1, '[{"at":1796574066759,"type":"started","input":{"input":{"id":9}}},{"at":1796574066759,"type":"callStarted","callId":"01M962HE27T5VPSW6MC2TMHPSE-1","activity":"SideWork","args":[9],"attempt":1,"awaited":false,"line":68}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HE30FEWVJSVXSHDZKGR0', 1, '[{"at":1796574066784,"type":"started","input":{"id":5}},{"at":1796574066784,"type":"callStarted","callId":"01M962HE30FEWVJSVXSHDZKGR0-1","activity":"SagaReserve","args":[5],"attempt":1,"awaited":false,"line":84}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HBCEY6B40KZF024MG0QH', 4, '[{"at":1796574065223,"type":"timerFired","key":"sleep:0"},{"at":1796574065223,"type":"timerStarted","until":1796574066223}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HBCEY6B40KZF024MG0QH', 5, '[{"at":1796574066230,"type":"timerFired","key":"sleep:0"},{"at":1796574066230,"type":"completed","result":{"child":{"approved":true,"id":9},"n":2,"side":{"side":"side-ok"}}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HDMYRW0VAM39J99RXFVD', 1, '[{"at":1796574066334,"type":"started","input":{"id":5}},{"at":1796574066334,"type":"callStarted","callId":"01M962HDMYRW0VAM39J99RXFVD-1","activity":"SagaReserve","args":[5],"attempt":1,"awaited":false,"line":84}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HDMYRW0VAM39J99RXFVD', 2, '[{"at":1796574066348,"type":"callCompleted","callId":"01M962HDMYRW0VAM39J99RXFVD-1","activity":"SagaReserve","attempt":1,"value":{"ref":"r5"},"durationMs":14,"how":"returned"},{"at":1796574066348,"type":"callStarted","callId":"01M962HDMYRW0VAM39J99RXFVD-2","activity":"SagaDecide","args":["r5"],"attempt":1,"awaited":true,"line":88}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HDMYRW0VAM39J99RXFVD', 3, '[{"at":1796574066399,"type":"callCompleted","callId":"01M962HDMYRW0VAM39J99RXFVD-2","activity":"SagaDecide","attempt":1,"value":{"ok":false},"durationMs":51,"how":"callback"},{"at":1796574066399,"type":"callStarted","callId":"01M962HDMYRW0VAM39J99RXFVD-3","activity":"SagaRelease","args":["r5"],"attempt":1,"awaited":false,"line":86}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HDTDPJD9CZ7NS6S07AER', 4, '[{"at":1796574066570,"type":"callCompleted","callId":"01M962HDTDPJD9CZ7NS6S07AER-1","activity":"RepairFetch","attempt":2,"value":"fetched","durationMs":61,"how":"returned"},{"at":1796574066570,"type":"completed","result":{"fetched":"fetched"}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HDXGQ3QEFNG86ENWMY0N', 1, '[{"at":1796574066608,"type":"started","input":{"items":["a","b","c"]}},{"at":1796574066608,"type":"callStarted","callId":"01M962HDXGQ3QEFNG86ENWMY0N-1","activity":"LoopApprove","args":["a"],"attempt":1,"awaited":true,"line":13}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HDXGQ3QEFNG86ENWMY0N', 2, '[{"at":1796574066623,"type":"callCompleted","callId":"01M962HDXGQ3QEFNG86ENWMY0N-1","activity":"LoopApprove","attempt":1,"value":{"points":1},"durationMs":15,"how":"callback"},{"at":1796574066623,"type":"callStarted","callId":"01M962HDXGQ3QEFNG86ENWMY0N-2","activity":"LoopApprove","args":["b"],"attempt":1,"awaited":true,"line":13}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HDZ55CKSJAATTT3ED6V4', 3, '[{"at":1796574066692,"type":"callFailed","callId":"01M962HDZ55CKSJAATTT3ED6V4-2","activity":"RetryFlaky","attempt":1,"error":"connection reset","retryAt":1796574149674}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HE17GDWRC7YVDZTPJ53K', 1, '[{"at":1796574066727,"type":"started","input":{"pauses":["2m","1s","1s"]}},{"at":1796574066727,"type":"callStarted","callId":"01M962HE17GDWRC7YVDZTPJ53K-1","activity":"PollStatus","args":[0],"attempt":1,"awaited":false,"line":54}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HE30FEWVJSVXSHDZKGR0', 2, '[{"at":1796574066801,"type":"callCompleted","callId":"01M962HE30FEWVJSVXSHDZKGR0-1","activity":"SagaReserve","attempt":1,"value":{"ref":"r5"},"durationMs":17,"how":"returned"},{"at":1796574066801,"type":"callStarted","callId":"01M962HE30FEWVJSVXSHDZKGR0-2","activity":"SagaDecide","args":["r5"],"attempt":1,"awaited":true,"line":88}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HE3TM4AW2C80X7G84R9V', 1, '[{"at":1796574066810,"type":"started","input":{"id":3}},{"at":1796574066810,"type":"callStarted","callId":"01M962HE3TM4AW2C80X7G84R9V-1","activity":"RepairFetch","args":[3],"attempt":1,"awaited":false,"line":98}]');
INSERT INTO weft_golden_src.journal VALUES ('01M962HE3TM4AW2C80X7G84R9V', 2, '[{"at":1796574066824,"type":"callFailed","callId":"01M962HE3TM4AW2C80X7G84R9V-1","activity":"RepairFetch","attempt":1,"error":"not found","retryAt":null},{"at":1796574066824,"type":"failed","error":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}]');


--
-- Data for Name: runs; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.runs VALUES ('01M962GW9QS2KS3RY1PX30B2CD', 'LoopAwait', 1, 'completed', '{"items":["a","b","c"]}', '{"seen":[{"item":"a","points":1},{"item":"b","points":10},{"item":"c","points":100}],"total":111}', NULL, '[]', NULL, NULL, NULL, 1796574048567, 1796574048766, 4, '\x7b2276223a312c226964223a2230314d3936324757395153324b53335259315058333042324344222c2266756e63223a302c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a342c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b22746f74616c223a3131312c227365656e223a5b7b226974656d223a2261222c22706f696e7473223a317d2c7b226974656d223a2262222c22706f696e7473223a31307d2c7b226974656d223a2263222c22706f696e7473223a3130307d5d7d2c227374657073223a37347d', NULL, 1796574058766, 4);
INSERT INTO weft_golden_src.runs VALUES ('01M962GWHW3802X094M09Y9VBM', 'Fanout', 1, 'completed', '{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"5s"}', '{"results":[{"id":1,"work":"w1"},{"confirmed":true,"id":2},{"id":3,"slept":true},{"id":4,"slow":"s4"}],"summary":{"count":4}}', NULL, '[]', NULL, NULL, NULL, 1796574048828, 1796574054049, 6, '\x7b2276223a312c226964223a2230314d3936324757485733383032583039344d3039593956424d222c2266756e63223a312c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a352c2263616c6c73223a7b7d2c226e6578745f63616c6c223a352c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a312c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b22726573756c7473223a5b7b226964223a312c22776f726b223a227731227d2c7b226964223a322c22636f6e6669726d6564223a747275657d2c7b226964223a332c22736c657074223a747275657d2c7b226964223a342c22736c6f77223a227334227d5d2c2273756d6d617279223a7b22636f756e74223a347d7d2c227374657073223a3130377d', NULL, 1796574064005, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M962H1QME45MX517VFWHZF6A', 'RetryPending', 1, 'completed', '{"id":7,"pause":"5s"}', '{"flaky":"flaky-ok","prepared":{"prepared":7}}', NULL, '[]', NULL, NULL, NULL, 1796574054132, 1796574057446, 5, '\x7b2276223a312c226964223a2230314d3936324831514d4534354d58353137564657485a463641222c2266756e63223a322c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a332c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b227072657061726564223a7b227072657061726564223a377d2c22666c616b79223a22666c616b792d6f6b227d2c227374657073223a31387d', NULL, 1796574067421, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M962H50KS428JFFJMHTS0JDH', 'Poller', 1, 'completed', '{"pauses":["5s","1s","1s"]}', '{"polls":["pending","pending","done"]}', NULL, '[]', NULL, NULL, NULL, 1796574057491, 1796574063994, 6, '\x7b2276223a312c226964223a2230314d3936324835304b533432384a46464a4d485453304a4448222c2266756e63223a332c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a342c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b22706f6c6c73223a5b2270656e64696e67222c2270656e64696e67222c22646f6e65225d7d2c227374657073223a36327d', NULL, 1796574073966, 3);
INSERT INTO weft_golden_src.runs VALUES ('01M962HBCESMHDAYTNWVKM8YYD', 'SideJob', 1, 'completed', '{"input":{"id":9}}', '{"side":"side-ok"}', NULL, '[]', '01M962HBCEY6B40KZF024MG0QH', NULL, NULL, 1796574064014, 1796574064061, 2, '\x7b2276223a312c226964223a2230314d39363248424345534d48444159544e57564b4d38595944222c2266756e63223a31302c226465707468223a312c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a322c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b2273696465223a22736964652d6f6b227d2c227374657073223a387d', NULL, 1796574074014, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M962HBCEY6B40KZF024MG0QH', 'Parent', 1, 'completed', '{"id":9}', '{"child":{"approved":true,"id":9},"n":2,"side":{"side":"side-ok"}}', NULL, '[]', NULL, NULL, NULL, 1796574064014, 1796574066230, 5, '\x7b2276223a312c226964223a2230314d3936324842434559364234304b5a463032344d47305148222c2266756e63223a342c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a312c2274696d657273223a7b7d2c226368696c6472656e223a7b2230223a7b2272756e5f6964223a2230314d39363248424345534d48444159544e57564b4d38595944222c22666c6f77223a22536964654a6f62222c227374617465223a7b227374617465223a22636f6d706c65746564222c2276616c7565223a7b2273696465223a22736964652d6f6b227d7d2c227374617274223a7b2266756e63223a31302c2261726773223a5b7b226964223a397d5d2c226361707475726573223a5b5d2c22696e707574223a7b22696e707574223a7b226964223a397d7d7d7d2c2231223a7b2272756e5f6964223a2230314d39363248424345483038314454395a3459365943353936222c22666c6f77223a224368696c64417070726f76616c222c227374617465223a7b227374617465223a22636f6d706c65746564222c2276616c7565223a7b22617070726f766564223a747275652c226964223a397d7d2c227374617274223a7b2266756e63223a372c2261726773223a5b7b226964223a397d5d2c226361707475726573223a5b5d2c22696e707574223a7b22726571223a7b226964223a397d7d7d7d7d2c226e6578745f6368696c64223a322c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b226368696c64223a7b22617070726f766564223a747275652c226964223a397d2c2273696465223a7b2273696465223a22736964652d6f6b227d2c226e223a327d2c227374657073223a34377d', NULL, 1796574076230, 5);
INSERT INTO weft_golden_src.runs VALUES ('01M962HBCEH081DT9Z4Y6YC596', 'ChildApproval', 1, 'completed', '{"req":{"id":9}}', '{"approved":true,"id":9}', NULL, '[]', '01M962HBCEY6B40KZF024MG0QH', NULL, NULL, 1796574064014, 1796574064094, 2, '\x7b2276223a312c226964223a2230314d39363248424345483038314454395a3459365943353936222c2266756e63223a372c226465707468223a312c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a322c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b22617070726f766564223a747275652c226964223a397d2c227374657073223a31337d', NULL, 1796574074094, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M962HDMYRW0VAM39J99RXFVD', 'Saga', 1, 'completed', '{"id":5}', '{"status":"compensated","undone":["released"]}', NULL, '[]', NULL, NULL, NULL, 1796574066334, 1796574066470, 4, '\x7b2276223a312c226964223a2230314d39363248444d5952573056414d33394a39395258465644222c2266756e63223a352c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a342c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b22737461747573223a22636f6d70656e7361746564222c22756e646f6e65223a5b2272656c6561736564225d7d2c227374657073223a36337d', NULL, 1796574076399, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M962HDYCCCQQXH79DCC85974', 'Fanout', 1, 'running', '{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"2m"}', NULL, NULL, '[{"activity":"FanoutConfirm","callId":"01M962HDYCCCQQXH79DCC85974-2","callback":true,"kind":"activity","token":"f4a659940c1ee8b1faea04471db2b7f9","until":4950174066636},{"kind":"timer","until":1796574186636},{"activity":"FanoutSlow","callId":"01M962HDYCCCQQXH79DCC85974-3","callback":false,"kind":"activity","token":null,"until":null}]', NULL, NULL, 'golden.weft:25', 1796574066636, 1796574066652, 2, '\x7b2276223a312c226964223a2230314d3936324844594343435151584837394443433835393734222c2266756e63223a312c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a312c227063223a352c226c6f63616c73223a5b7b226974656d73223a5b7b226964223a312c226b696e64223a22776f726b227d2c7b226964223a322c226b696e64223a2263616c6c6261636b227d2c7b226964223a332c226b696e64223a22736c656570227d2c7b226964223a342c226b696e64223a22736c6f77227d5d2c227061757365223a22326d227d2c6e756c6c2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2247726f7570223a307d2c226f776e6572223a6e756c6c7d2c2232223a7b226672616d6573223a5b7b2266756e63223a392c227063223a392c226c6f63616c73223a5b7b226964223a322c226b696e64223a2263616c6c6261636b227d2c6e756c6c2c6e756c6c2c6e756c6c2c7b226974656d73223a5b7b226964223a312c226b696e64223a22776f726b227d2c7b226964223a322c226b696e64223a2263616c6c6261636b227d2c7b226964223a332c226b696e64223a22736c656570227d2c7b226964223a342c226b696e64223a22736c6f77227d5d2c227061757365223a22326d227d5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a327d2c226f776e6572223a5b302c315d7d2c2233223a7b226672616d6573223a5b7b2266756e63223a392c227063223a32362c226c6f63616c73223a5b7b226964223a332c226b696e64223a22736c656570227d2c6e756c6c2c6e756c6c2c6e756c6c2c7b226974656d73223a5b7b226964223a312c226b696e64223a22776f726b227d2c7b226964223a322c226b696e64223a2263616c6c6261636b227d2c7b226964223a332c226b696e64223a22736c656570227d2c7b226964223a342c226b696e64223a22736c6f77227d5d2c227061757365223a22326d227d5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2254696d6572223a22736c6565703a33227d2c226f776e6572223a5b302c325d7d2c2234223a7b226672616d6573223a5b7b2266756e63223a392c227063223a34322c226c6f63616c73223a5b7b226964223a342c226b696e64223a22736c6f77227d2c6e756c6c2c6e756c6c2c6e756c6c2c7b226974656d73223a5b7b226964223a312c226b696e64223a22776f726b227d2c7b226964223a322c226b696e64223a2263616c6c6261636b227d2c7b226964223a332c226b696e64223a22736c656570227d2c7b226964223a342c226b696e64223a22736c6f77227d5d2c227061757365223a22326d227d5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a337d2c226f776e6572223a5b302c335d7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a352c2263616c6c73223a7b2232223a7b2263616c6c5f6964223a2230314d39363248445943434351515848373944434338353937342d32222c226163746976697479223a2246616e6f7574436f6e6669726d222c2261726773223a5b325d2c226669626572223a322c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a333135333630303030303030302c2261776169746564223a747275652c226361746368223a66616c73652c22746f6b656e223a226634613635393934306331656538623166616561303434373164623262376639222c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363537343036363633362c22617474656d70745f737461727465645f6174223a313739363537343036363633362c226c6173745f6572726f72223a6e756c6c2c226174223a5b392c385d7d2c2233223a7b2263616c6c5f6964223a2230314d39363248445943434351515848373944434338353937342d33222c226163746976697479223a2246616e6f7574536c6f77222c2261726773223a5b345d2c226669626572223a342c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a6e756c6c2c2261776169746564223a66616c73652c226361746368223a66616c73652c22746f6b656e223a6e756c6c2c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363537343036363633362c22617474656d70745f737461727465645f6174223a313739363537343036363633362c226c6173745f6572726f72223a6e756c6c2c226174223a5b392c34315d7d7d2c226e6578745f63616c6c223a342c2274696d657273223a7b2261776169743a32223a7b226174223a343935303137343036363633362c226b696e64223a7b226b696e64223a22617761697454696d656f7574222c2263616c6c223a327d7d2c22736c6565703a33223a7b226174223a313739363537343138363633362c226b696e64223a7b226b696e64223a22736c656570222c226669626572223a332c2276616c7565223a6e756c6c7d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b2230223a7b226d6f6465223a2245786563757465222c226669626572223a302c22736c6f7473223a5b7b22446f6e65223a7b226964223a312c22776f726b223a227731227d7d2c7b224669626572223a327d2c7b224669626572223a337d2c7b224669626572223a347d5d7d7d2c226e6578745f67726f7570223a312c226661696c75726573223a7b7d2c22737461747573223a2272756e6e696e67222c22726573756c74223a6e756c6c2c227374657073223a37317d', 'golden-maker-d92921bf', 1796574076636, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M962HDTDPJD9CZ7NS6S07AER', 'Repair', 1, 'completed', '{"id":3}', '{"fetched":"fetched"}', NULL, '[]', NULL, NULL, NULL, 1796574066509, 1796574066570, 4, '\x7b2276223a312c226964223a2230314d39363248445444504a4439435a374e5336533037414552222c2266756e63223a362c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a322c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b2266657463686564223a2266657463686564227d2c227374657073223a387d', NULL, 1796574076550, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M962HDZ55CKSJAATTT3ED6V4', 'RetryPending', 1, 'running', '{"id":7,"pause":"2m"}', NULL, NULL, '[{"activity":"RetryFlaky","callId":"01M962HDZ55CKSJAATTT3ED6V4-2","callback":false,"kind":"activity","token":null,"until":null}]', NULL, NULL, 'golden.weft:46', 1796574066661, 1796574066692, 3, '\x7b2276223a312c226964223a2230314d39363248445a3535434b534a4141545454334544365634222c2266756e63223a322c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a322c227063223a31312c226c6f63616c73223a5b7b226964223a372c227061757365223a22326d227d2c7b227072657061726564223a377d2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a327d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2232223a7b2263616c6c5f6964223a2230314d39363248445a3535434b534a41415454543345443656342d32222c226163746976697479223a225265747279466c616b79222c2261726773223a5b7b227072657061726564223a377d5d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a332c226261636b6f66665f6d73223a3132303030302c226261636b6f66665f6d61785f6d73223a3132303030302c2274696d656f75745f6d73223a6e756c6c2c2261776169746564223a66616c73652c226361746368223a66616c73652c22746f6b656e223a6e756c6c2c227068617365223a226261636b6f6666222c22737461727465645f6174223a313739363537343036363637322c22617474656d70745f737461727465645f6174223a313739363537343036363637322c226c6173745f6572726f72223a22636f6e6e656374696f6e207265736574222c226174223a5b322c31305d7d7d2c226e6578745f63616c6c223a332c2274696d657273223a7b226261636b6f66663a32223a7b226174223a313739363537343134393637342c226b696e64223a7b226b696e64223a226261636b6f6666222c2263616c6c223a327d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2272756e6e696e67222c22726573756c74223a6e756c6c2c227374657073223a31317d', 'golden-maker-d92921bf', 1796574076661, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M962HE273G5FNFS4G9F8EHGE', 'ChildApproval', 1, 'waiting', '{"req":{"id":9}}', NULL, NULL, '[{"activity":"ChildSignoff","callId":"01M962HE273G5FNFS4G9F8EHGE-1","callback":true,"kind":"activity","token":"8f15ba1d18d195294a272ed42d497b43","until":4950174066759}]', '01M962HE275Y1ME4Q51SJGJSYM', NULL, 'children.weft:3', 1796574066759, 1796574066759, 1, '\x7b2276223a312c226964223a2230314d39363248453237334735464e4653344739463845484745222c2266756e63223a372c226465707468223a312c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a372c227063223a342c226c6f63616c73223a5b7b226964223a397d2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a317d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2231223a7b2263616c6c5f6964223a2230314d39363248453237334735464e46533447394638454847452d31222c226163746976697479223a224368696c645369676e6f6666222c2261726773223a5b395d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a333135333630303030303030302c2261776169746564223a747275652c226361746368223a66616c73652c22746f6b656e223a223866313562613164313864313935323934613237326564343264343937623433222c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363537343036363735392c22617474656d70745f737461727465645f6174223a313739363537343036363735392c226c6173745f6572726f72223a6e756c6c2c226174223a5b372c335d7d7d2c226e6578745f63616c6c223a322c2274696d657273223a7b2261776169743a31223a7b226174223a343935303137343036363735392c226b696e64223a7b226b696e64223a22617761697454696d656f7574222c2263616c6c223a317d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a347d', NULL, 1796574076759, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M962HDXGQ3QEFNG86ENWMY0N', 'LoopAwait', 1, 'waiting', '{"items":["a","b","c"]}', NULL, NULL, '[{"activity":"LoopApprove","callId":"01M962HDXGQ3QEFNG86ENWMY0N-2","callback":true,"kind":"activity","token":"5288f70cc6a821b728644c7e1bc0b1d9","until":4950174066623}]', NULL, NULL, 'golden.weft:13', 1796574066608, 1796574066623, 2, '\x7b2276223a312c226964223a2230314d3936324844584751335145464e473836454e574d59304e222c2266756e63223a302c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a302c227063223a31312c226c6f63616c73223a5b7b226974656d73223a5b2261222c2262222c2263225d7d2c312c5b7b226974656d223a2261222c22706f696e7473223a317d5d2c2262222c7b22706f696e7473223a317d2c5b2261222c2262222c2263225d2c325d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a327d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2232223a7b2263616c6c5f6964223a2230314d3936324844584751335145464e473836454e574d59304e2d32222c226163746976697479223a224c6f6f70417070726f7665222c2261726773223a5b2262225d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a333135333630303030303030302c2261776169746564223a747275652c226361746368223a66616c73652c22746f6b656e223a223532383866373063633661383231623732383634346337653162633062316439222c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363537343036363632332c22617474656d70745f737461727465645f6174223a313739363537343036363632332c226c6173745f6572726f72223a6e756c6c2c226174223a5b302c31305d7d7d2c226e6578745f63616c6c223a332c2274696d657273223a7b2261776169743a32223a7b226174223a343935303137343036363632332c226b696e64223a7b226b696e64223a22617761697454696d656f7574222c2263616c6c223a327d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a33317d', NULL, 1796574076623, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M962HE17GDWRC7YVDZTPJ53K', 'Poller', 1, 'waiting', '{"pauses":["2m","1s","1s"]}', NULL, NULL, '[{"kind":"timer","until":1796574186750}]', NULL, NULL, 'golden.weft:59', 1796574066727, 1796574066750, 2, '\x7b2276223a312c226964223a2230314d393632484531374744575243375956445a54504a35334b222c2266756e63223a332c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a332c227063223a32352c226c6f63616c73223a5b7b22706175736573223a5b22326d222c223173222c223173225d7d2c5b2270656e64696e67225d2c302c2270656e64696e67222c5b302c312c325d2c315d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2254696d6572223a22736c6565703a30227d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a322c2274696d657273223a7b22736c6565703a30223a7b226174223a313739363537343138363735302c226b696e64223a7b226b696e64223a22736c656570222c226669626572223a302c2276616c7565223a6e756c6c7d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a32347d', NULL, 1796574076727, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M962HE3TM4AW2C80X7G84R9V', 'Repair', 1, 'failed', '{"id":3}', NULL, '{"location":{"col":15,"file":"golden.weft","line":98,"sourceLine":"fetched = RepairFetch(input.id)"},"message":"RepairFetch failed: not found"}', '[]', NULL, NULL, 'golden.weft:98', 1796574066810, 1796574066824, 2, '\x7b2276223a312c226964223a2230314d393632484533544d344157324338305837473834523956222c2266756e63223a362c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a362c227063223a332c226c6f63616c73223a5b7b226964223a337d2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a224661696c6564222c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2231223a7b2263616c6c5f6964223a2230314d393632484533544d3441573243383058374738345239562d31222c226163746976697479223a225265706169724665746368222c2261726773223a5b335d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a6e756c6c2c2261776169746564223a66616c73652c226361746368223a66616c73652c22746f6b656e223a6e756c6c2c227068617365223a226661696c6564222c22737461727465645f6174223a313739363537343036363831302c22617474656d70745f737461727465645f6174223a313739363537343036363831302c226c6173745f6572726f72223a226e6f7420666f756e64222c226174223a5b362c325d7d7d2c226e6578745f63616c6c223a322c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b2230223a7b226b696e64223a7b226b696e64223a2263616c6c222c2263616c6c223a317d2c226d657373616765223a225265706169724665746368206661696c65643a206e6f7420666f756e64222c226c6f636174696f6e223a7b2266696c65223a22676f6c64656e2e77656674222c226c696e65223a39382c22636f6c223a31352c22736f757263654c696e65223a2266657463686564203d20526570616972466574636828696e7075742e696429227d7d7d2c22737461747573223a226661696c6564222c22726573756c74223a6e756c6c2c227374657073223a337d', NULL, 1796574076810, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M962HE27T5VPSW6MC2TMHPSE', 'SideJob', 1, 'running', '{"input":{"id":9}}', NULL, NULL, '[{"activity":"SideWork","callId":"01M962HE27T5VPSW6MC2TMHPSE-1","callback":false,"kind":"activity","token":null,"until":null}]', '01M962HE275Y1ME4Q51SJGJSYM', NULL, 'golden.weft:68', 1796574066759, 1796574066759, 1, '\x7b2276223a312c226964223a2230314d39363248453237543556505357364d4332544d48505345222c2266756e63223a31302c226465707468223a312c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a31302c227063223a332c226c6f63616c73223a5b7b226964223a397d2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a317d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2231223a7b2263616c6c5f6964223a2230314d39363248453237543556505357364d4332544d485053452d31222c226163746976697479223a2253696465576f726b222c2261726773223a5b395d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a6e756c6c2c2261776169746564223a66616c73652c226361746368223a66616c73652c22746f6b656e223a6e756c6c2c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363537343036363735392c22617474656d70745f737461727465645f6174223a313739363537343036363735392c226c6173745f6572726f72223a6e756c6c2c226174223a5b31302c325d7d7d2c226e6578745f63616c6c223a322c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2272756e6e696e67222c22726573756c74223a6e756c6c2c227374657073223a337d', 'golden-maker-d92921bf', 1796574076759, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M962HE275Y1ME4Q51SJGJSYM', 'Parent', 1, 'waiting', '{"id":9}', NULL, NULL, '[{"flow":"ChildApproval","kind":"child","runId":"01M962HE273G5FNFS4G9F8EHGE"}]', NULL, NULL, 'golden.weft:71', 1796574066759, 1796574066759, 1, '\x7b2276223a312c226964223a2230314d393632484532373559314d4534513531534a474a53594d222c2266756e63223a342c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a342c227063223a382c226c6f63616c73223a5b7b226964223a397d2c7b222468223a307d2c6e756c6c2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b224368696c64223a7b226368696c64223a312c2270757368223a747275657d7d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a312c2274696d657273223a7b7d2c226368696c6472656e223a7b2230223a7b2272756e5f6964223a2230314d39363248453237543556505357364d4332544d48505345222c22666c6f77223a22536964654a6f62222c227374617465223a7b227374617465223a2272756e6e696e67227d2c227374617274223a7b2266756e63223a31302c2261726773223a5b7b226964223a397d5d2c226361707475726573223a5b5d2c22696e707574223a7b22696e707574223a7b226964223a397d7d7d7d2c2231223a7b2272756e5f6964223a2230314d39363248453237334735464e4653344739463845484745222c22666c6f77223a224368696c64417070726f76616c222c227374617465223a7b227374617465223a2272756e6e696e67227d2c227374617274223a7b2266756e63223a372c2261726773223a5b7b226964223a397d5d2c226361707475726573223a5b5d2c22696e707574223a7b22726571223a7b226964223a397d7d7d7d7d2c226e6578745f6368696c64223a322c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a387d', NULL, 1796574076759, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M962HE30FEWVJSVXSHDZKGR0', 'Saga', 1, 'waiting', '{"id":5}', NULL, NULL, '[{"activity":"SagaDecide","callId":"01M962HE30FEWVJSVXSHDZKGR0-2","callback":true,"kind":"activity","token":"c625ea918bf3e6a60395e40a38c7084f","until":4950174066801}]', NULL, NULL, 'golden.weft:88', 1796574066784, 1796574066801, 2, '\x7b2276223a312c226964223a2230314d39363248453330464557564a5356585348445a4b475230222c2266756e63223a352c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a352c227063223a31352c226c6f63616c73223a5b7b226964223a357d2c5b7b222463223a31312c2276223a5b7b22726566223a227235227d5d7d5d2c7b22726566223a227235227d2c6e756c6c2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a327d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2232223a7b2263616c6c5f6964223a2230314d39363248453330464557564a5356585348445a4b4752302d32222c226163746976697479223a2253616761446563696465222c2261726773223a5b227235225d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a333135333630303030303030302c2261776169746564223a747275652c226361746368223a66616c73652c22746f6b656e223a226336323565613931386266336536613630333935653430613338633730383466222c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363537343036363830312c22617474656d70745f737461727465645f6174223a313739363537343036363830312c226c6173745f6572726f72223a6e756c6c2c226174223a5b352c31345d7d7d2c226e6578745f63616c6c223a332c2274696d657273223a7b2261776169743a32223a7b226174223a343935303137343036363830312c226b696e64223a7b226b696e64223a22617761697454696d656f7574222c2263616c6c223a327d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a31357d', NULL, 1796574076784, 1);


--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.schema_migrations VALUES (1, 'runs, journal, timers, tasks, tokens, deployments', '2026-12-06 16:20:47.800705+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (2, 'clusters: run leases, the inbox, task leases', '2026-12-06 16:20:47.800705+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (3, 'tasks: the node holding the run, leased through it first', '2026-12-06 16:20:47.800705+00');


--
-- Data for Name: tasks; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.tasks VALUES ('01M962HDYCCCQQXH79DCC85974-2', '01M962HDYCCCQQXH79DCC85974', '{"callId":"01M962HDYCCCQQXH79DCC85974-2","runId":"01M962HDYCCCQQXH79DCC85974","call":2,"activity":"FanoutConfirm","args":[2],"attempt":1,"deadline":null,"callbackToken":"f4a659940c1ee8b1faea04471db2b7f9"}', 'FanoutConfirm', NULL, 1796574066686, 'golden-maker-d92921bf');
INSERT INTO weft_golden_src.tasks VALUES ('01M962HDYCCCQQXH79DCC85974-3', '01M962HDYCCCQQXH79DCC85974', '{"callId":"01M962HDYCCCQQXH79DCC85974-3","runId":"01M962HDYCCCQQXH79DCC85974","call":3,"activity":"FanoutSlow","args":[4],"attempt":1,"deadline":null,"callbackToken":null}', 'FanoutSlow', NULL, 1796574066686, 'golden-maker-d92921bf');
INSERT INTO weft_golden_src.tasks VALUES ('01M962HE273G5FNFS4G9F8EHGE-1', '01M962HE273G5FNFS4G9F8EHGE', '{"callId":"01M962HE273G5FNFS4G9F8EHGE-1","runId":"01M962HE273G5FNFS4G9F8EHGE","call":1,"activity":"ChildSignoff","args":[9],"attempt":1,"deadline":null,"callbackToken":"8f15ba1d18d195294a272ed42d497b43"}', 'ChildSignoff', NULL, 1796574066809, 'golden-maker-d92921bf');
INSERT INTO weft_golden_src.tasks VALUES ('01M962HE27T5VPSW6MC2TMHPSE-1', '01M962HE27T5VPSW6MC2TMHPSE', '{"callId":"01M962HE27T5VPSW6MC2TMHPSE-1","runId":"01M962HE27T5VPSW6MC2TMHPSE","call":1,"activity":"SideWork","args":[9],"attempt":1,"deadline":null,"callbackToken":null}', 'SideWork', NULL, 1796574066809, 'golden-maker-d92921bf');
INSERT INTO weft_golden_src.tasks VALUES ('01M962HDXGQ3QEFNG86ENWMY0N-2', '01M962HDXGQ3QEFNG86ENWMY0N', '{"callId":"01M962HDXGQ3QEFNG86ENWMY0N-2","runId":"01M962HDXGQ3QEFNG86ENWMY0N","call":2,"activity":"LoopApprove","args":["b"],"attempt":1,"deadline":null,"callbackToken":"5288f70cc6a821b728644c7e1bc0b1d9"}', 'LoopApprove', NULL, 1796574066673, 'golden-maker-d92921bf');
INSERT INTO weft_golden_src.tasks VALUES ('01M962HE30FEWVJSVXSHDZKGR0-2', '01M962HE30FEWVJSVXSHDZKGR0', '{"callId":"01M962HE30FEWVJSVXSHDZKGR0-2","runId":"01M962HE30FEWVJSVXSHDZKGR0","call":2,"activity":"SagaDecide","args":["r5"],"attempt":1,"deadline":null,"callbackToken":"c625ea918bf3e6a60395e40a38c7084f"}', 'SagaDecide', NULL, 1796574066851, 'golden-maker-d92921bf');


--
-- Data for Name: timers; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.timers VALUES ('01M962HDXGQ3QEFNG86ENWMY0N', 'await:2', 4950174066623);
INSERT INTO weft_golden_src.timers VALUES ('01M962HDYCCCQQXH79DCC85974', 'await:2', 4950174066636);
INSERT INTO weft_golden_src.timers VALUES ('01M962HDYCCCQQXH79DCC85974', 'sleep:3', 1796574186636);
INSERT INTO weft_golden_src.timers VALUES ('01M962HDZ55CKSJAATTT3ED6V4', 'backoff:2', 1796574149674);
INSERT INTO weft_golden_src.timers VALUES ('01M962HE17GDWRC7YVDZTPJ53K', 'sleep:0', 1796574186750);
INSERT INTO weft_golden_src.timers VALUES ('01M962HE273G5FNFS4G9F8EHGE', 'await:1', 4950174066759);
INSERT INTO weft_golden_src.timers VALUES ('01M962HE30FEWVJSVXSHDZKGR0', 'await:2', 4950174066801);


--
-- Data for Name: tokens; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.tokens VALUES ('40d17381bd8364d7fe24146d16a6e67f', '01M962GW9QS2KS3RY1PX30B2CD', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('ae5cddd755af8d79afec7fd27f3d5164', '01M962GW9QS2KS3RY1PX30B2CD', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('a9712063aa27c0c3e00e32e2af160726', '01M962GW9QS2KS3RY1PX30B2CD', 3, false);
INSERT INTO weft_golden_src.tokens VALUES ('5620ed985fe607c37e606f3a280a447c', '01M962GWHW3802X094M09Y9VBM', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('32fa0b625026957852c94c972b035ceb', '01M962HBCEH081DT9Z4Y6YC596', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('438650ee3c514e5790d1373234aac8c1', '01M962HDMYRW0VAM39J99RXFVD', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('5288f70cc6a821b728644c7e1bc0b1d9', '01M962HDXGQ3QEFNG86ENWMY0N', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('6f4fcb87c0854040b51fb3b25c069634', '01M962HDXGQ3QEFNG86ENWMY0N', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('f4a659940c1ee8b1faea04471db2b7f9', '01M962HDYCCCQQXH79DCC85974', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('8f15ba1d18d195294a272ed42d497b43', '01M962HE273G5FNFS4G9F8EHGE', 1, true);
INSERT INTO weft_golden_src.tokens VALUES ('c625ea918bf3e6a60395e40a38c7084f', '01M962HE30FEWVJSVXSHDZKGR0', 2, true);


--
-- Name: inbox_id_seq; Type: SEQUENCE SET; Schema: weft_golden_src; Owner: -
--

SELECT pg_catalog.setval('weft_golden_src.inbox_id_seq', 1, false);


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
-- Name: runs runs_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.runs
    ADD CONSTRAINT runs_pkey PRIMARY KEY (id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: weft_golden_src; Owner: -
--

ALTER TABLE ONLY weft_golden_src.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


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
-- Name: inbox_by_run; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX inbox_by_run ON weft_golden_src.inbox USING btree (run_id, id);


--
-- Name: runs_by_flow; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX runs_by_flow ON weft_golden_src.runs USING btree (flow, id);


--
-- Name: runs_by_parent; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX runs_by_parent ON weft_golden_src.runs USING btree (parent, id) WHERE (parent IS NOT NULL);


--
-- Name: runs_by_status; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX runs_by_status ON weft_golden_src.runs USING btree (status, id);


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


