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
    created_at bigint NOT NULL,
    program json
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

INSERT INTO weft_golden_src.deployments VALUES (1, '["LoopAwait","Fanout","RetryPending","Poller","Parent","Saga","Repair","ChildApproval"]', '[{"name":"golden.weft","text":"// Flows whose runs a release leaves waiting as golden data\n// (scripts/make-golden.sh; crates/weft-cli/tests/golden.rs finishes them\n// with every later build). Each flow calls activities of its own, so a\n// poll for one activity only ever finds the task of one run. Timers armed\n// before the server stops take `input.pause` (minutes in the golden run,\n// seconds in its control run); timers armed after take seconds.\n\n// A wait inside a loop: one callback per item, with a running total.\nflow LoopAwait(input) {\n    total = 0\n    seen = []\n    for item in input.items {\n        answer = await LoopApprove(item) @timeout(36500d)\n        total += answer.points\n        seen = append(seen, {item: item, points: answer.points})\n    }\n    return {total: total, seen: seen}\n}\n\n// Branches of ParallelForEach, each waiting for something else: a\n// callback, a timer, a task; one is done before the server stops.\nflow Fanout(input) {\n    results = ParallelForEach(input.items, func(item) {\n        if item.kind == \"callback\" {\n            r = await FanoutConfirm(item.id) @timeout(36500d)\n            return {id: item.id, confirmed: r.ok}\n        }\n        if item.kind == \"sleep\" {\n            Sleep(input.pause)\n            return {id: item.id, slept: true}\n        }\n        if item.kind == \"slow\" {\n            s = FanoutSlow(item.id)\n            return {id: item.id, slow: s}\n        }\n        w = FanoutWork(item.id)\n        return {id: item.id, work: w}\n    })\n    summary = FanoutSummarize(len(results))\n    return {results: results, summary: summary}\n}\n\n// A call whose failed attempt waits out its back-off.\nflow RetryPending(input) {\n    prepared = RetryPrepare(input.id)\n    flaky = RetryFlaky(prepared) @retry(3, backoff: input.pause, maxBackoff: input.pause)\n    return {prepared: prepared, flaky: flaky}\n}\n\n// Timers in a loop: the run sleeps between polls.\nflow Poller(input) {\n    polls = []\n    for i in range(len(input.pauses)) {\n        status = PollStatus(i)\n        polls = append(polls, status)\n        if status == \"done\" {\n            break\n        }\n        Sleep(input.pauses[i])\n    }\n    return {polls: polls}\n}\n\n// Sub-flows: a called flow waits for a callback while an inline flow waits\n// for a task; after both, the parent sleeps in a loop.\nflow Parent(input) {\n    side = flow SideJob(input) {\n        s = SideWork(input.id)\n        return {side: s}\n    }\n    child = ChildApproval({id: input.id})\n    n = 0\n    while n < 2 {\n        Sleep(1s)\n        n++\n    }\n    return {child: child, side: side, n: n}\n}\n\n// A saga: a compensation kept as a closure while the run waits for a\n// decision, run by the prelude''s RunCompensations.\nflow Saga(input) {\n    var undo = []\n    reserved = SagaReserve(input.id)\n    undo = append(undo, func() {\n        return SagaRelease(reserved.ref)\n    })\n    decision = await SagaDecide(reserved.ref) @timeout(36500d)\n    if decision.ok != true {\n        undone = RunCompensations(undo)\n        return {status: \"compensated\", undone: undone}\n    }\n    return {status: \"kept\", ref: reserved.ref}\n}\n\n// A call that failed for good: the run waits for an operator.\nflow Repair(input) {\n    fetched = RepairFetch(input.id)\n    return {fetched: fetched}\n}\n"},{"name":"children.weft","text":"// A flow of a second file, called from golden.weft''s Parent.\nflow ChildApproval(req) {\n    signed = await ChildSignoff(req.id) @timeout(36500d)\n    return {approved: signed.approved, id: req.id}\n}\n"}]', 1796576383682, '{"format":1,"edition":1,"compiler":"weft-engine 0.1.0 compiler:76ec6942ac7ae850","files":[{"name":"golden.weft","text":"// Flows whose runs a release leaves waiting as golden data\n// (scripts/make-golden.sh; crates/weft-cli/tests/golden.rs finishes them\n// with every later build). Each flow calls activities of its own, so a\n// poll for one activity only ever finds the task of one run. Timers armed\n// before the server stops take `input.pause` (minutes in the golden run,\n// seconds in its control run); timers armed after take seconds.\n\n// A wait inside a loop: one callback per item, with a running total.\nflow LoopAwait(input) {\n    total = 0\n    seen = []\n    for item in input.items {\n        answer = await LoopApprove(item) @timeout(36500d)\n        total += answer.points\n        seen = append(seen, {item: item, points: answer.points})\n    }\n    return {total: total, seen: seen}\n}\n\n// Branches of ParallelForEach, each waiting for something else: a\n// callback, a timer, a task; one is done before the server stops.\nflow Fanout(input) {\n    results = ParallelForEach(input.items, func(item) {\n        if item.kind == \"callback\" {\n            r = await FanoutConfirm(item.id) @timeout(36500d)\n            return {id: item.id, confirmed: r.ok}\n        }\n        if item.kind == \"sleep\" {\n            Sleep(input.pause)\n            return {id: item.id, slept: true}\n        }\n        if item.kind == \"slow\" {\n            s = FanoutSlow(item.id)\n            return {id: item.id, slow: s}\n        }\n        w = FanoutWork(item.id)\n        return {id: item.id, work: w}\n    })\n    summary = FanoutSummarize(len(results))\n    return {results: results, summary: summary}\n}\n\n// A call whose failed attempt waits out its back-off.\nflow RetryPending(input) {\n    prepared = RetryPrepare(input.id)\n    flaky = RetryFlaky(prepared) @retry(3, backoff: input.pause, maxBackoff: input.pause)\n    return {prepared: prepared, flaky: flaky}\n}\n\n// Timers in a loop: the run sleeps between polls.\nflow Poller(input) {\n    polls = []\n    for i in range(len(input.pauses)) {\n        status = PollStatus(i)\n        polls = append(polls, status)\n        if status == \"done\" {\n            break\n        }\n        Sleep(input.pauses[i])\n    }\n    return {polls: polls}\n}\n\n// Sub-flows: a called flow waits for a callback while an inline flow waits\n// for a task; after both, the parent sleeps in a loop.\nflow Parent(input) {\n    side = flow SideJob(input) {\n        s = SideWork(input.id)\n        return {side: s}\n    }\n    child = ChildApproval({id: input.id})\n    n = 0\n    while n < 2 {\n        Sleep(1s)\n        n++\n    }\n    return {child: child, side: side, n: n}\n}\n\n// A saga: a compensation kept as a closure while the run waits for a\n// decision, run by the prelude''s RunCompensations.\nflow Saga(input) {\n    var undo = []\n    reserved = SagaReserve(input.id)\n    undo = append(undo, func() {\n        return SagaRelease(reserved.ref)\n    })\n    decision = await SagaDecide(reserved.ref) @timeout(36500d)\n    if decision.ok != true {\n        undone = RunCompensations(undo)\n        return {status: \"compensated\", undone: undone}\n    }\n    return {status: \"kept\", ref: reserved.ref}\n}\n\n// A call that failed for good: the run waits for an operator.\nflow Repair(input) {\n    fetched = RepairFetch(input.id)\n    return {fetched: fetched}\n}\n"},{"name":"children.weft","text":"// A flow of a second file, called from golden.weft''s Parent.\nflow ChildApproval(req) {\n    signed = await ChildSignoff(req.id) @timeout(36500d)\n    return {approved: signed.approved, id: req.id}\n}\n"},{"name":"<prelude>","text":"\nflow RunCompensations(list) {\n    results = []\n    i = len(list) - 1\n    while i >= 0 {\n        results = append(results, list[i]())\n        i--\n    }\n    return results\n}\n"}],"flows":[["LoopAwait",0],["Fanout",1],["RetryPending",2],["Poller",3],["Parent",4],["Saga",5],["Repair",6],["ChildApproval",7]],"functions":[{"name":"LoopAwait","kind":"flow","file":0,"params":[0],"slots":["input","total","seen","item","answer","$list5","$i6"],"span":[491,772],"code":[{"Const":0},{"Store":1},"NewList",{"Store":2},{"Load":0},{"GetField":1},{"IterInit":[5,6]},{"IterNext":[5,6,3,27]},{"Load":3},{"Const":2},{"CallActivity":0},{"Store":4},{"Load":1},{"Load":4},{"GetField":3},{"Binary":"+"},{"Store":1},{"Load":2},"NewObject",{"Load":3},{"ObjSet":4},{"Load":4},{"GetField":3},{"ObjSet":3},{"CallBuiltin":["append",2]},{"Store":2},{"Jump":7},"NewObject",{"Load":1},{"ObjSet":5},{"Load":2},{"ObjSet":6},"Return","Null","Return"],"spans":[527,528,519,528,540,542,533,542,559,564,565,570,559,570,551,555,608,612,623,629,596,630,581,630,639,644,648,654,655,661,639,661,639,661,684,688,690,725,697,701,691,695,711,717,718,724,703,709,677,726,670,726,571,732,744,770,752,757,745,750,765,769,759,763,737,770,772,772,772,772]},{"name":"Fanout","kind":"flow","file":0,"params":[0],"slots":["input","results","summary"],"span":[908,1556],"code":[{"Load":0},{"GetField":1},{"Load":0},{"MakeClosure":9},"ParallelForEach",{"Store":1},{"Load":1},{"CallBuiltin":["len",1]},{"CallActivity":4},{"Store":2},"NewObject",{"Load":1},{"ObjSet":18},{"Load":2},{"ObjSet":19},"Return","Null","Return"],"spans":[959,964,965,970,972,1461,972,1461,943,1462,933,1462,1497,1504,1493,1505,1477,1506,1467,1506,1518,1554,1528,1535,1519,1526,1546,1553,1537,1544,1511,1554,1556,1556,1556,1556]},{"name":"RetryPending","kind":"flow","file":0,"params":[0],"slots":["input","prepared","flaky"],"span":[1613,1815],"code":[{"Load":0},{"GetField":9},{"CallActivity":5},{"Store":1},{"Load":1},{"Const":20},{"Load":0},{"GetField":14},{"Load":0},{"GetField":14},{"CallActivity":6},{"Store":2},"NewObject",{"Load":1},{"ObjSet":21},{"Load":2},{"ObjSet":22},"Return","Null","Return"],"spans":[1668,1673,1674,1676,1655,1677,1644,1677,1701,1709,1718,1719,1730,1735,1736,1741,1755,1760,1761,1766,1690,1767,1682,1767,1779,1813,1790,1798,1780,1788,1807,1812,1800,1805,1772,1813,1815,1815,1815,1815]},{"name":"Poller","kind":"flow","file":0,"params":[0],"slots":["input","polls","i","status","$list4","$i5"],"span":[1868,2135],"code":["NewList",{"Store":1},{"Load":0},{"GetField":23},{"CallBuiltin":["len",1]},{"CallBuiltin":["range",1]},{"IterInit":[4,5]},{"IterNext":[4,5,2,27]},{"Load":2},{"CallActivity":7},{"Store":3},{"Load":1},{"Load":3},{"CallBuiltin":["append",2]},{"Store":1},{"Load":3},{"Const":24},{"Binary":"=="},{"JumpIfFalse":20},{"Jump":27},{"Load":0},{"GetField":23},{"Load":2},"GetIndex",{"CallBuiltin":["Sleep",1]},"Pop",{"Jump":7},"NewObject",{"Load":1},{"ObjSet":25},"Return","Null","Return"],"spans":[1901,1903,1893,1903,1927,1932,1933,1939,1923,1940,1917,1941,1917,1941,1912,1913,1972,1973,1961,1974,1952,1974,1998,2003,2005,2011,1991,2012,1983,2012,2024,2030,2034,2040,2024,2040,2024,2040,2055,2060,2085,2090,2091,2097,2098,2099,2085,2100,2079,2101,2079,2101,1942,2107,2119,2133,2127,2132,2120,2125,2112,2133,2135,2135,2135,2135]},{"name":"Parent","kind":"flow","file":0,"params":[0],"slots":["input","side","child","n"],"span":[2269,2536],"code":[{"Load":0},{"StartInline":10},{"Store":1},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"CallFlow":[7,1]},{"Store":2},{"Const":27},{"Store":3},{"Load":3},{"Const":28},{"Binary":"<"},{"JumpIfFalse":23},{"Const":29},{"CallBuiltin":["Sleep",1]},"Pop",{"Load":3},{"Const":30},{"Binary":"+"},{"Store":3},{"Jump":11},"NewObject",{"Load":2},{"ObjSet":31},{"Load":1},{"ObjSet":26},{"Load":3},{"ObjSet":32},"Return","Null","Return"],"spans":[2314,2319,2306,2313,2294,2384,2411,2425,2416,2421,2422,2424,2412,2414,2397,2426,2389,2426,2435,2436,2431,2436,2447,2448,2451,2452,2447,2452,2447,2452,2469,2471,2463,2472,2463,2472,2481,2482,2481,2484,2481,2484,2481,2484,2453,2490,2502,2534,2510,2515,2503,2508,2523,2527,2517,2521,2532,2533,2529,2530,2495,2534,2536,2536,2536,2536]},{"name":"Saga","kind":"flow","file":0,"params":[0],"slots":["input","undo","reserved","decision","undone"],"span":[2660,3056],"code":["NewList",{"Store":1},{"Load":0},{"GetField":9},{"CallActivity":9},{"Store":2},{"Load":1},{"Load":2},{"MakeClosure":11},{"CallBuiltin":["append",2]},{"Store":1},{"Load":2},{"GetField":33},{"Const":34},{"CallActivity":11},{"Store":3},{"Load":3},{"GetField":11},{"Bool":true},{"Binary":"!="},{"JumpIfFalse":30},{"Load":1},{"CallFunc":[8,1]},{"Store":4},"NewObject",{"Const":35},{"ObjSet":36},{"Load":4},{"ObjSet":37},"Return","NewObject",{"Const":38},{"ObjSet":36},{"Load":2},{"GetField":33},{"ObjSet":33},"Return","Null","Return"],"spans":[2694,2696,2683,2696,2724,2729,2730,2732,2712,2733,2701,2733,2752,2756,2758,2813,2758,2813,2745,2814,2738,2814,2847,2855,2856,2859,2870,2876,2836,2877,2819,2877,2885,2893,2894,2896,2900,2904,2885,2904,2885,2904,2941,2945,2924,2946,2915,2946,2962,3001,2971,2984,2963,2969,2994,3000,2986,2992,2955,3001,3019,3054,3028,3034,3020,3026,3041,3049,3050,3053,3036,3039,3012,3054,3056,3056,3056,3056]},{"name":"Repair","kind":"flow","file":0,"params":[0],"slots":["input","fetched"],"span":[3121,3209],"code":[{"Load":0},{"GetField":9},{"CallActivity":12},{"Store":1},"NewObject",{"Load":1},{"ObjSet":39},"Return","Null","Return"],"spans":[3168,3173,3174,3176,3156,3177,3146,3177,3189,3207,3199,3206,3190,3197,3182,3207,3209,3209,3209,3209]},{"name":"ChildApproval","kind":"flow","file":1,"params":[0],"slots":["req","signed"],"span":[62,197],"code":[{"Load":0},{"GetField":9},{"Const":40},{"CallActivity":13},{"Store":1},"NewObject",{"Load":1},{"GetField":41},{"ObjSet":41},{"Load":0},{"GetField":9},{"ObjSet":9},"Return","Null","Return"],"spans":[120,123,124,126,137,143,107,144,92,144,156,195,167,173,174,182,157,165,188,191,192,194,184,186,149,195,197,197,197,197]},{"name":"RunCompensations","kind":"prelude","file":2,"params":[0],"slots":["list","results","i"],"span":[1,172],"code":["NewList",{"Store":1},{"Load":0},{"CallBuiltin":["len",1]},{"Const":42},{"Binary":"-"},{"Store":2},{"Load":2},{"Const":43},{"Binary":">="},{"JumpIfFalse":23},{"Load":1},{"Load":0},{"Load":2},"GetIndex",{"CallClosure":0},{"CallBuiltin":["append",2]},{"Store":1},{"Load":2},{"Const":44},{"Binary":"-"},{"Store":2},{"Jump":7},{"Load":1},"Return","Null","Return"],"spans":[45,47,35,47,60,64,56,65,68,69,56,69,52,69,80,81,85,86,80,86,80,86,114,121,123,127,128,129,123,130,123,132,107,133,97,133,142,143,142,145,142,145,142,145,87,151,163,170,156,170,172,172,172,172]},{"name":"func","kind":"lambda","file":0,"params":[0],"captures":[{"name":"input","slot":4}],"slots":["item","r","s","w","input"],"span":[972,1461],"code":[{"Load":0},{"GetField":7},{"Const":8},{"Binary":"=="},{"JumpIfFalse":18},{"Load":0},{"GetField":9},{"Const":10},{"CallActivity":1},{"Store":1},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Load":1},{"GetField":11},{"ObjSet":12},"Return",{"Load":0},{"GetField":7},{"Const":13},{"Binary":"=="},{"JumpIfFalse":34},{"Load":4},{"GetField":14},{"CallBuiltin":["Sleep",1]},"Pop","NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Bool":true},{"ObjSet":15},"Return",{"Load":0},{"GetField":7},{"Const":16},{"Binary":"=="},{"JumpIfFalse":50},{"Load":0},{"GetField":9},{"CallActivity":2},{"Store":2},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Load":2},{"ObjSet":16},"Return",{"Load":0},{"GetField":9},{"CallActivity":3},{"Store":3},"NewObject",{"Load":0},{"GetField":9},{"ObjSet":9},{"Load":3},{"ObjSet":17},"Return","Null","Return"],"spans":[996,1000,1001,1005,1009,1019,996,1019,996,1019,1058,1062,1063,1065,1076,1082,1044,1083,1034,1083,1103,1133,1108,1112,1113,1115,1104,1106,1128,1129,1130,1132,1117,1126,1096,1133,1155,1159,1160,1164,1168,1175,1155,1175,1155,1175,1196,1201,1202,1207,1190,1208,1190,1208,1228,1254,1233,1237,1238,1240,1229,1231,1249,1253,1242,1247,1221,1254,1276,1280,1281,1285,1289,1295,1276,1295,1276,1295,1325,1329,1330,1332,1314,1333,1310,1333,1353,1375,1358,1362,1363,1365,1354,1356,1373,1374,1367,1371,1346,1375,1409,1413,1414,1416,1398,1417,1394,1417,1433,1455,1438,1442,1443,1445,1434,1436,1453,1454,1447,1451,1426,1455,1461,1461,1461,1461]},{"name":"SideJob","kind":"inlineFlow","file":0,"params":[0],"paramLabels":["input"],"slots":["input","s"],"span":[2301,2384],"code":[{"Load":0},{"GetField":9},{"CallActivity":8},{"Store":1},"NewObject",{"Load":1},{"ObjSet":26},"Return","Null","Return"],"spans":[2344,2349,2350,2352,2335,2353,2331,2353,2369,2378,2376,2377,2370,2374,2362,2378,2384,2384,2384,2384]},{"name":"func","kind":"lambda","file":0,"params":[],"captures":[{"name":"reserved","slot":0}],"slots":["reserved"],"span":[2758,2813],"code":[{"Load":0},{"GetField":33},{"CallActivity":10},"Return","Null","Return"],"spans":[2794,2802,2803,2806,2782,2807,2775,2807,2813,2813,2813,2813]}],"consts":[{"Int":0},{"Str":"items"},{"Duration":3153600000000},{"Str":"points"},{"Str":"item"},{"Str":"total"},{"Str":"seen"},{"Str":"kind"},{"Str":"callback"},{"Str":"id"},{"Duration":3153600000000},{"Str":"ok"},{"Str":"confirmed"},{"Str":"sleep"},{"Str":"pause"},{"Str":"slept"},{"Str":"slow"},{"Str":"work"},{"Str":"results"},{"Str":"summary"},{"Int":3},{"Str":"prepared"},{"Str":"flaky"},{"Str":"pauses"},{"Str":"done"},{"Str":"polls"},{"Str":"side"},{"Int":0},{"Int":2},{"Duration":1000},{"Int":1},{"Str":"child"},{"Str":"n"},{"Str":"ref"},{"Duration":3153600000000},{"Str":"compensated"},{"Str":"status"},{"Str":"undone"},{"Str":"kept"},{"Str":"fetched"},{"Duration":3153600000000},{"Str":"approved"},{"Int":1},{"Int":0},{"Int":1}],"calls":[{"activity":"LoopApprove","positional":1,"timeout":true,"awaited":true},{"activity":"FanoutConfirm","positional":1,"timeout":true,"awaited":true},{"activity":"FanoutSlow","positional":1},{"activity":"FanoutWork","positional":1},{"activity":"FanoutSummarize","positional":1},{"activity":"RetryPrepare","positional":1},{"activity":"RetryFlaky","positional":1,"retry":true,"retryBackoff":true,"retryMax":true},{"activity":"PollStatus","positional":1},{"activity":"SideWork","positional":1},{"activity":"SagaReserve","positional":1},{"activity":"SagaRelease","positional":1},{"activity":"SagaDecide","positional":1,"timeout":true,"awaited":true},{"activity":"RepairFetch","positional":1},{"activity":"ChildSignoff","positional":1,"timeout":true,"awaited":true}]}');


--
-- Data for Name: idempotency_keys; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: inbox; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--



--
-- Data for Name: journal; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.journal VALUES ('01M964R4XM9RT1HBW3XEVB6J11', 1, '[{"at":1796576383924,"type":"started","input":{"items":["a","b","c"]}},{"at":1796576383924,"type":"callStarted","callId":"01M964R4XM9RT1HBW3XEVB6J11-1","activity":"LoopApprove","args":["a"],"attempt":1,"awaited":true,"line":13}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964R4XM9RT1HBW3XEVB6J11', 2, '[{"at":1796576384064,"type":"callCompleted","callId":"01M964R4XM9RT1HBW3XEVB6J11-1","activity":"LoopApprove","attempt":1,"value":{"points":1},"durationMs":140,"how":"callback"},{"at":1796576384064,"type":"callStarted","callId":"01M964R4XM9RT1HBW3XEVB6J11-2","activity":"LoopApprove","args":["b"],"attempt":1,"awaited":true,"line":13}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964R4XM9RT1HBW3XEVB6J11', 3, '[{"at":1796576384294,"type":"callCompleted","callId":"01M964R4XM9RT1HBW3XEVB6J11-2","activity":"LoopApprove","attempt":1,"value":{"points":10},"durationMs":230,"how":"callback"},{"at":1796576384294,"type":"callStarted","callId":"01M964R4XM9RT1HBW3XEVB6J11-3","activity":"LoopApprove","args":["c"],"attempt":1,"awaited":true,"line":13}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964R4XM9RT1HBW3XEVB6J11', 4, '[{"at":1796576384364,"type":"callCompleted","callId":"01M964R4XM9RT1HBW3XEVB6J11-3","activity":"LoopApprove","attempt":1,"value":{"points":100},"durationMs":70,"how":"callback"},{"at":1796576384364,"type":"completed","result":{"seen":[{"item":"a","points":1},{"item":"b","points":10},{"item":"c","points":100}],"total":111}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964R5HR24M70RZMP88V2DNH', 1, '[{"at":1796576384568,"type":"started","input":{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"5s"}},{"at":1796576384568,"type":"callStarted","callId":"01M964R5HR24M70RZMP88V2DNH-1","activity":"FanoutWork","args":[1],"attempt":1,"awaited":false,"line":36},{"at":1796576384568,"type":"callStarted","callId":"01M964R5HR24M70RZMP88V2DNH-2","activity":"FanoutConfirm","args":[2],"attempt":1,"awaited":true,"line":25},{"at":1796576384568,"type":"timerStarted","until":1796576389568},{"at":1796576384568,"type":"callStarted","callId":"01M964R5HR24M70RZMP88V2DNH-3","activity":"FanoutSlow","args":[4],"attempt":1,"awaited":false,"line":33}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964R5HR24M70RZMP88V2DNH', 2, '[{"at":1796576384826,"type":"callCompleted","callId":"01M964R5HR24M70RZMP88V2DNH-1","activity":"FanoutWork","attempt":1,"value":"w1","durationMs":258,"how":"returned"}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964R5HR24M70RZMP88V2DNH', 3, '[{"at":1796576389618,"type":"timerFired","key":"sleep:3"}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964R5HR24M70RZMP88V2DNH', 4, '[{"at":1796576389704,"type":"callCompleted","callId":"01M964R5HR24M70RZMP88V2DNH-3","activity":"FanoutSlow","attempt":1,"value":"s4","durationMs":5136,"how":"returned"}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964R5HR24M70RZMP88V2DNH', 5, '[{"at":1796576389723,"type":"callCompleted","callId":"01M964R5HR24M70RZMP88V2DNH-2","activity":"FanoutConfirm","attempt":1,"value":{"ok":true},"durationMs":5155,"how":"callback"},{"at":1796576389723,"type":"callStarted","callId":"01M964R5HR24M70RZMP88V2DNH-4","activity":"FanoutSummarize","args":[4],"attempt":1,"awaited":false,"line":39}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964R5HR24M70RZMP88V2DNH', 6, '[{"at":1796576389989,"type":"callCompleted","callId":"01M964R5HR24M70RZMP88V2DNH-4","activity":"FanoutSummarize","attempt":1,"value":{"count":4},"durationMs":266,"how":"returned"},{"at":1796576389989,"type":"completed","result":{"results":[{"id":1,"work":"w1"},{"confirmed":true,"id":2},{"id":3,"slept":true},{"id":4,"slow":"s4"}],"summary":{"count":4}}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RAY8Y8BKGKEEN9QD8FX4', 1, '[{"at":1796576390088,"type":"started","input":{"id":7,"pause":"5s"}},{"at":1796576390088,"type":"callStarted","callId":"01M964RAY8Y8BKGKEEN9QD8FX4-1","activity":"RetryPrepare","args":[7],"attempt":1,"awaited":false,"line":45}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RAY8Y8BKGKEEN9QD8FX4', 2, '[{"at":1796576390159,"type":"callCompleted","callId":"01M964RAY8Y8BKGKEEN9QD8FX4-1","activity":"RetryPrepare","attempt":1,"value":{"prepared":7},"durationMs":71,"how":"returned"},{"at":1796576390159,"type":"callStarted","callId":"01M964RAY8Y8BKGKEEN9QD8FX4-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":1,"awaited":false,"line":46}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RAY8Y8BKGKEEN9QD8FX4', 3, '[{"at":1796576390226,"type":"callFailed","callId":"01M964RAY8Y8BKGKEEN9QD8FX4-2","activity":"RetryFlaky","attempt":1,"error":"connection reset","retryAt":1796576393178}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RAY8Y8BKGKEEN9QD8FX4', 4, '[{"at":1796576393198,"type":"timerFired","key":"backoff:2"},{"at":1796576393198,"type":"callStarted","callId":"01M964RAY8Y8BKGKEEN9QD8FX4-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":2,"awaited":false,"line":46}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RAY8Y8BKGKEEN9QD8FX4', 5, '[{"at":1796576393226,"type":"callCompleted","callId":"01M964RAY8Y8BKGKEEN9QD8FX4-2","activity":"RetryFlaky","attempt":2,"value":"flaky-ok","durationMs":3067,"how":"returned"},{"at":1796576393226,"type":"completed","result":{"flaky":"flaky-ok","prepared":{"prepared":7}}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RE0SYP5ZEPEXCWDN32TK', 1, '[{"at":1796576393241,"type":"started","input":{"pauses":["5s","1s","1s"]}},{"at":1796576393241,"type":"callStarted","callId":"01M964RE0SYP5ZEPEXCWDN32TK-1","activity":"PollStatus","args":[0],"attempt":1,"awaited":false,"line":54}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RE0SYP5ZEPEXCWDN32TK', 2, '[{"at":1796576393265,"type":"callCompleted","callId":"01M964RE0SYP5ZEPEXCWDN32TK-1","activity":"PollStatus","attempt":1,"value":"pending","durationMs":24,"how":"returned"},{"at":1796576393265,"type":"timerStarted","until":1796576398265}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RE0SYP5ZEPEXCWDN32TK', 3, '[{"at":1796576398466,"type":"timerFired","key":"sleep:0"},{"at":1796576398466,"type":"callStarted","callId":"01M964RE0SYP5ZEPEXCWDN32TK-2","activity":"PollStatus","args":[1],"attempt":1,"awaited":false,"line":54}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RE0SYP5ZEPEXCWDN32TK', 4, '[{"at":1796576398520,"type":"callCompleted","callId":"01M964RE0SYP5ZEPEXCWDN32TK-2","activity":"PollStatus","attempt":1,"value":"pending","durationMs":54,"how":"returned"},{"at":1796576398520,"type":"timerStarted","until":1796576399520}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RE0SYP5ZEPEXCWDN32TK', 5, '[{"at":1796576399714,"type":"timerFired","key":"sleep:0"},{"at":1796576399714,"type":"callStarted","callId":"01M964RE0SYP5ZEPEXCWDN32TK-3","activity":"PollStatus","args":[2],"attempt":1,"awaited":false,"line":54}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RE0SYP5ZEPEXCWDN32TK', 6, '[{"at":1796576399742,"type":"callCompleted","callId":"01M964RE0SYP5ZEPEXCWDN32TK-3","activity":"PollStatus","attempt":1,"value":"done","durationMs":28,"how":"returned"},{"at":1796576399742,"type":"completed","result":{"polls":["pending","pending","done"]}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RMCCB4D2BTNTGD5TAMQS', 1, '[{"at":1796576399756,"type":"started","input":{"input":{"id":9}}},{"at":1796576399756,"type":"callStarted","callId":"01M964RMCCB4D2BTNTGD5TAMQS-1","activity":"SideWork","args":[9],"attempt":1,"awaited":false,"line":68}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RMCCD2WX8FR5KDRCVYZS', 1, '[{"at":1796576399756,"type":"started","input":{"id":9}},{"at":1796576399756,"type":"childStarted","runId":"01M964RMCCB4D2BTNTGD5TAMQS","flow":"SideJob"},{"at":1796576399756,"type":"childStarted","runId":"01M964RMCCHE7PRJ817KZZSP1M","flow":"ChildApproval"}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RMCCHE7PRJ817KZZSP1M', 1, '[{"at":1796576399756,"type":"started","input":{"req":{"id":9}}},{"at":1796576399756,"type":"callStarted","callId":"01M964RMCCHE7PRJ817KZZSP1M-1","activity":"ChildSignoff","args":[9],"attempt":1,"awaited":true,"line":3}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RMCCB4D2BTNTGD5TAMQS', 2, '[{"at":1796576399799,"type":"callCompleted","callId":"01M964RMCCB4D2BTNTGD5TAMQS-1","activity":"SideWork","attempt":1,"value":"side-ok","durationMs":43,"how":"returned"},{"at":1796576399799,"type":"completed","result":{"side":"side-ok"}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RMCCD2WX8FR5KDRCVYZS', 2, '[{"at":1796576399799,"type":"childFinished","runId":"01M964RMCCB4D2BTNTGD5TAMQS","result":{"side":"side-ok"}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RMCCD2WX8FR5KDRCVYZS', 3, '[{"at":1796576399861,"type":"childFinished","runId":"01M964RMCCHE7PRJ817KZZSP1M","result":{"approved":true,"id":9}},{"at":1796576399861,"type":"timerStarted","until":1796576400861}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RMCCHE7PRJ817KZZSP1M', 2, '[{"at":1796576399861,"type":"callCompleted","callId":"01M964RMCCHE7PRJ817KZZSP1M-1","activity":"ChildSignoff","attempt":1,"value":{"approved":true},"durationMs":105,"how":"callback"},{"at":1796576399861,"type":"completed","result":{"approved":true,"id":9}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RMCCD2WX8FR5KDRCVYZS', 4, '[{"at":1796576400980,"type":"timerFired","key":"sleep:0"},{"at":1796576400980,"type":"timerStarted","until":1796576401980}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RMCCD2WX8FR5KDRCVYZS', 5, '[{"at":1796576401980,"type":"timerFired","key":"sleep:0"},{"at":1796576401980,"type":"completed","result":{"child":{"approved":true,"id":9},"n":2,"side":{"side":"side-ok"}}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RPKN2T4CMFTFTMVEF19K', 1, '[{"at":1796576402037,"type":"started","input":{"id":5}},{"at":1796576402037,"type":"callStarted","callId":"01M964RPKN2T4CMFTFTMVEF19K-1","activity":"SagaReserve","args":[5],"attempt":1,"awaited":false,"line":84}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RPKN2T4CMFTFTMVEF19K', 2, '[{"at":1796576402076,"type":"callCompleted","callId":"01M964RPKN2T4CMFTFTMVEF19K-1","activity":"SagaReserve","attempt":1,"value":{"ref":"r5"},"durationMs":39,"how":"returned"},{"at":1796576402076,"type":"callStarted","callId":"01M964RPKN2T4CMFTFTMVEF19K-2","activity":"SagaDecide","args":["r5"],"attempt":1,"awaited":true,"line":88}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RPKN2T4CMFTFTMVEF19K', 3, '[{"at":1796576402134,"type":"callCompleted","callId":"01M964RPKN2T4CMFTFTMVEF19K-2","activity":"SagaDecide","attempt":1,"value":{"ok":false},"durationMs":58,"how":"callback"},{"at":1796576402134,"type":"callStarted","callId":"01M964RPKN2T4CMFTFTMVEF19K-3","activity":"SagaRelease","args":["r5"],"attempt":1,"awaited":false,"line":86}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RPKN2T4CMFTFTMVEF19K', 4, '[{"at":1796576402188,"type":"callCompleted","callId":"01M964RPKN2T4CMFTFTMVEF19K-3","activity":"SagaRelease","attempt":1,"value":"released","durationMs":54,"how":"returned"},{"at":1796576402188,"type":"completed","result":{"status":"compensated","undone":["released"]}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RPSMCKPQWV5PCANCZDEH', 1, '[{"at":1796576402228,"type":"started","input":{"id":3}},{"at":1796576402228,"type":"callStarted","callId":"01M964RPSMCKPQWV5PCANCZDEH-1","activity":"RepairFetch","args":[3],"attempt":1,"awaited":false,"line":98}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RPSMCKPQWV5PCANCZDEH', 2, '[{"at":1796576402257,"type":"callFailed","callId":"01M964RPSMCKPQWV5PCANCZDEH-1","activity":"RepairFetch","attempt":1,"error":"not found","retryAt":null},{"at":1796576402257,"type":"failed","error":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RPSMCKPQWV5PCANCZDEH', 3, '[{"at":1796576402313,"type":"retried"},{"at":1796576402313,"type":"callStarted","callId":"01M964RPSMCKPQWV5PCANCZDEH-1","activity":"RepairFetch","args":[3],"attempt":2,"awaited":false,"line":98}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RPSMCKPQWV5PCANCZDEH', 4, '[{"at":1796576402357,"type":"callCompleted","callId":"01M964RPSMCKPQWV5PCANCZDEH-1","activity":"RepairFetch","attempt":2,"value":"fetched","durationMs":129,"how":"returned"},{"at":1796576402357,"type":"completed","result":{"fetched":"fetched"}}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RPY7E19F5VVP9885NPDG', 1, '[{"at":1796576402375,"type":"started","input":{"items":["a","b","c"]}},{"at":1796576402375,"type":"callStarted","callId":"01M964RPY7E19F5VVP9885NPDG-1","activity":"LoopApprove","args":["a"],"attempt":1,"awaited":true,"line":13}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RQ060YM59YDMQJ8CY9WG', 2, '[{"at":1796576402465,"type":"callCompleted","callId":"01M964RQ060YM59YDMQJ8CY9WG-1","activity":"FanoutWork","attempt":1,"value":"w1","durationMs":27,"how":"returned"}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RQ2GWZ40WXTF5GDPNPK7', 1, '[{"at":1796576402512,"type":"started","input":{"id":7,"pause":"2m"}},{"at":1796576402512,"type":"callStarted","callId":"01M964RQ2GWZ40WXTF5GDPNPK7-1","activity":"RetryPrepare","args":[7],"attempt":1,"awaited":false,"line":45}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RQ6A4VZYBGWNPCJ6Q8JQ', 2, '[{"at":1796576402668,"type":"callCompleted","callId":"01M964RQ6A4VZYBGWNPCJ6Q8JQ-1","activity":"SagaReserve","attempt":1,"value":{"ref":"r5"},"durationMs":34,"how":"returned"},{"at":1796576402668,"type":"callStarted","callId":"01M964RQ6A4VZYBGWNPCJ6Q8JQ-2","activity":"SagaDecide","args":["r5"],"attempt":1,"awaited":true,"line":88}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RPY7E19F5VVP9885NPDG', 2, '[{"at":1796576402409,"type":"callCompleted","callId":"01M964RPY7E19F5VVP9885NPDG-1","activity":"LoopApprove","attempt":1,"value":{"points":1},"durationMs":34,"how":"callback"},{"at":1796576402409,"type":"callStarted","callId":"01M964RPY7E19F5VVP9885NPDG-2","activity":"LoopApprove","args":["b"],"attempt":1,"awaited":true,"line":13}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RQ060YM59YDMQJ8CY9WG', 1, '[{"at":1796576402438,"type":"started","input":{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"2m"}},{"at":1796576402438,"type":"callStarted","callId":"01M964RQ060YM59YDMQJ8CY9WG-1","activity":"FanoutWork","args":[1],"attempt":1,"awaited":false,"line":36},{"at":1796576402438,"type":"callStarted","callId":"01M964RQ060YM59YDMQJ8CY9WG-2","activity":"FanoutConfirm","args":[2],"attempt":1,"awaited":true,"line":25},{"at":1796576402438,"type":"timerStarted","until":1796576522438},{"at":1796576402438,"type":"callStarted","callId":"01M964RQ060YM59YDMQJ8CY9WG-3","activity":"FanoutSlow","args":[4],"attempt":1,"awaited":false,"line":33}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RQ2GWZ40WXTF5GDPNPK7', 2, '[{"at":1796576402528,"type":"callCompleted","callId":"01M964RQ2GWZ40WXTF5GDPNPK7-1","activity":"RetryPrepare","attempt":1,"value":{"prepared":7},"durationMs":16,"how":"returned"},{"at":1796576402528,"type":"callStarted","callId":"01M964RQ2GWZ40WXTF5GDPNPK7-2","activity":"RetryFlaky","args":[{"prepared":7}],"attempt":1,"awaited":false,"line":46}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RQ2GWZ40WXTF5GDPNPK7', 3, '[{"at":1796576402575,"type":"callFailed","callId":"01M964RQ2GWZ40WXTF5GDPNPK7-2","activity":"RetryFlaky","attempt":1,"error":"connection reset","retryAt":1796576518990}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RQ4TMM45FTR8JK7X2WT2', 1, '[{"at":1796576402586,"type":"started","input":{"pauses":["2m","1s","1s"]}},{"at":1796576402586,"type":"callStarted","callId":"01M964RQ4TMM45FTR8JK7X2WT2-1","activity":"PollStatus","args":[0],"attempt":1,"awaited":false,"line":54}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RQ4TMM45FTR8JK7X2WT2', 2, '[{"at":1796576402599,"type":"callCompleted","callId":"01M964RQ4TMM45FTR8JK7X2WT2-1","activity":"PollStatus","attempt":1,"value":"pending","durationMs":13,"how":"returned"},{"at":1796576402599,"type":"timerStarted","until":1796576522599}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RQ5GASBZMNK8A6FQDP3Z', 1, '[{"at":1796576402608,"type":"started","input":{"req":{"id":9}}},{"at":1796576402608,"type":"callStarted","callId":"01M964RQ5GASBZMNK8A6FQDP3Z-1","activity":"ChildSignoff","args":[9],"attempt":1,"awaited":true,"line":3}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RQ5GEWRA99FY0MJS9RJC', 1, '[{"at":1796576402608,"type":"started","input":{"id":9}},{"at":1796576402608,"type":"childStarted","runId":"01M964RQ5GP4P8F2E19KXRV108","flow":"SideJob"},{"at":1796576402608,"type":"childStarted","runId":"01M964RQ5GASBZMNK8A6FQDP3Z","flow":"ChildApproval"}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RQ5GP4P8F2E19KXRV108', 1, '[{"at":1796576402608,"type":"started","input":{"input":{"id":9}}},{"at":1796576402608,"type":"callStarted","callId":"01M964RQ5GP4P8F2E19KXRV108-1","activity":"SideWork","args":[9],"attempt":1,"awaited":false,"line":68}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RQ6A4VZYBGWNPCJ6Q8JQ', 1, '[{"at":1796576402634,"type":"started","input":{"id":5}},{"at":1796576402634,"type":"callStarted","callId":"01M964RQ6A4VZYBGWNPCJ6Q8JQ-1","activity":"SagaReserve","args":[5],"attempt":1,"awaited":false,"line":84}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RQ7RKMQ6F20JZN3RWK7X', 1, '[{"at":1796576402680,"type":"started","input":{"id":3}},{"at":1796576402680,"type":"callStarted","callId":"01M964RQ7RKMQ6F20JZN3RWK7X-1","activity":"RepairFetch","args":[3],"attempt":1,"awaited":false,"line":98}]');
INSERT INTO weft_golden_src.journal VALUES ('01M964RQ7RKMQ6F20JZN3RWK7X', 2, '[{"at":1796576402728,"type":"callFailed","callId":"01M964RQ7RKMQ6F20JZN3RWK7X-1","activity":"RepairFetch","attempt":1,"error":"not found","retryAt":null},{"at":1796576402728,"type":"failed","error":"RepairFetch failed: not found","location":{"file":"golden.weft","line":98,"col":15,"sourceLine":"fetched = RepairFetch(input.id)"}}]');


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
-- Data for Name: runs; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.runs VALUES ('01M964R4XM9RT1HBW3XEVB6J11', 'LoopAwait', 1, 'completed', '{"items":["a","b","c"]}', '{"seen":[{"item":"a","points":1},{"item":"b","points":10},{"item":"c","points":100}],"total":111}', NULL, '[]', NULL, NULL, NULL, 1796576383924, 1796576384364, 4, '\x7b2276223a312c226964223a2230314d3936345234584d395254314842573358455642364a3131222c2266756e63223a302c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a342c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b22746f74616c223a3131312c227365656e223a5b7b226974656d223a2261222c22706f696e7473223a317d2c7b226974656d223a2262222c22706f696e7473223a31307d2c7b226974656d223a2263222c22706f696e7473223a3130307d5d7d2c227374657073223a37347d', NULL, 1796576394364, 4);
INSERT INTO weft_golden_src.runs VALUES ('01M964R5HR24M70RZMP88V2DNH', 'Fanout', 1, 'completed', '{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"5s"}', '{"results":[{"id":1,"work":"w1"},{"confirmed":true,"id":2},{"id":3,"slept":true},{"id":4,"slow":"s4"}],"summary":{"count":4}}', NULL, '[]', NULL, NULL, NULL, 1796576384568, 1796576389989, 6, '\x7b2276223a312c226964223a2230314d3936345235485232344d3730525a4d5038385632444e48222c2266756e63223a312c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a352c2263616c6c73223a7b7d2c226e6578745f63616c6c223a352c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a312c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b22726573756c7473223a5b7b226964223a312c22776f726b223a227731227d2c7b226964223a322c22636f6e6669726d6564223a747275657d2c7b226964223a332c22736c657074223a747275657d2c7b226964223a342c22736c6f77223a227334227d5d2c2273756d6d617279223a7b22636f756e74223a347d7d2c227374657073223a3130377d', NULL, 1796576399962, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M964RAY8Y8BKGKEEN9QD8FX4', 'RetryPending', 1, 'completed', '{"id":7,"pause":"5s"}', '{"flaky":"flaky-ok","prepared":{"prepared":7}}', NULL, '[]', NULL, NULL, NULL, 1796576390088, 1796576393226, 5, '\x7b2276223a312c226964223a2230314d393634524159385938424b474b45454e39514438465834222c2266756e63223a322c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a332c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b227072657061726564223a7b227072657061726564223a377d2c22666c616b79223a22666c616b792d6f6b227d2c227374657073223a31387d', NULL, 1796576403198, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M964RE0SYP5ZEPEXCWDN32TK', 'Poller', 1, 'completed', '{"pauses":["5s","1s","1s"]}', '{"polls":["pending","pending","done"]}', NULL, '[]', NULL, NULL, NULL, 1796576393241, 1796576399742, 6, '\x7b2276223a312c226964223a2230314d393634524530535950355a455045584357444e3332544b222c2266756e63223a332c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a342c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b22706f6c6c73223a5b2270656e64696e67222c2270656e64696e67222c22646f6e65225d7d2c227374657073223a36327d', NULL, 1796576409714, 3);
INSERT INTO weft_golden_src.runs VALUES ('01M964RMCCD2WX8FR5KDRCVYZS', 'Parent', 1, 'completed', '{"id":9}', '{"child":{"approved":true,"id":9},"n":2,"side":{"side":"side-ok"}}', NULL, '[]', NULL, NULL, NULL, 1796576399756, 1796576401980, 5, '\x7b2276223a312c226964223a2230314d393634524d434344325758384652354b44524356595a53222c2266756e63223a342c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a312c2274696d657273223a7b7d2c226368696c6472656e223a7b2230223a7b2272756e5f6964223a2230314d393634524d43434234443242544e5447443554414d5153222c22666c6f77223a22536964654a6f62222c227374617465223a7b227374617465223a22636f6d706c65746564222c2276616c7565223a7b2273696465223a22736964652d6f6b227d7d2c227374617274223a7b2266756e63223a31302c2261726773223a5b7b226964223a397d5d2c226361707475726573223a5b5d2c22696e707574223a7b22696e707574223a7b226964223a397d7d7d7d2c2231223a7b2272756e5f6964223a2230314d393634524d434348453750524a3831374b5a5a5350314d222c22666c6f77223a224368696c64417070726f76616c222c227374617465223a7b227374617465223a22636f6d706c65746564222c2276616c7565223a7b22617070726f766564223a747275652c226964223a397d7d2c227374617274223a7b2266756e63223a372c2261726773223a5b7b226964223a397d5d2c226361707475726573223a5b5d2c22696e707574223a7b22726571223a7b226964223a397d7d7d7d7d2c226e6578745f6368696c64223a322c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b226368696c64223a7b22617070726f766564223a747275652c226964223a397d2c2273696465223a7b2273696465223a22736964652d6f6b227d2c226e223a327d2c227374657073223a34377d', NULL, 1796576411980, 5);
INSERT INTO weft_golden_src.runs VALUES ('01M964RMCCB4D2BTNTGD5TAMQS', 'SideJob', 1, 'completed', '{"input":{"id":9}}', '{"side":"side-ok"}', NULL, '[]', '01M964RMCCD2WX8FR5KDRCVYZS', NULL, NULL, 1796576399756, 1796576399799, 2, '\x7b2276223a312c226964223a2230314d393634524d43434234443242544e5447443554414d5153222c2266756e63223a31302c226465707468223a312c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a322c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b2273696465223a22736964652d6f6b227d2c227374657073223a387d', NULL, 1796576409756, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M964RMCCHE7PRJ817KZZSP1M', 'ChildApproval', 1, 'completed', '{"req":{"id":9}}', '{"approved":true,"id":9}', NULL, '[]', '01M964RMCCD2WX8FR5KDRCVYZS', NULL, NULL, 1796576399756, 1796576399861, 2, '\x7b2276223a312c226964223a2230314d393634524d434348453750524a3831374b5a5a5350314d222c2266756e63223a372c226465707468223a312c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a322c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b22617070726f766564223a747275652c226964223a397d2c227374657073223a31337d', NULL, 1796576409861, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M964RPKN2T4CMFTFTMVEF19K', 'Saga', 1, 'completed', '{"id":5}', '{"status":"compensated","undone":["released"]}', NULL, '[]', NULL, NULL, NULL, 1796576402037, 1796576402188, 4, '\x7b2276223a312c226964223a2230314d39363452504b4e325434434d465446544d56454631394b222c2266756e63223a352c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a342c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b22737461747573223a22636f6d70656e7361746564222c22756e646f6e65223a5b2272656c6561736564225d7d2c227374657073223a36337d', NULL, 1796576412134, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M964RPSMCKPQWV5PCANCZDEH', 'Repair', 1, 'completed', '{"id":3}', '{"fetched":"fetched"}', NULL, '[]', NULL, NULL, NULL, 1796576402228, 1796576402357, 4, '\x7b2276223a312c226964223a2230314d3936345250534d434b50515756355043414e435a444548222c2266756e63223a362c226465707468223a302c22666962657273223a7b7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a322c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a22636f6d706c65746564222c22726573756c74223a7b2266657463686564223a2266657463686564227d2c227374657073223a387d', NULL, 1796576412313, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M964RPY7E19F5VVP9885NPDG', 'LoopAwait', 1, 'waiting', '{"items":["a","b","c"]}', NULL, NULL, '[{"activity":"LoopApprove","callId":"01M964RPY7E19F5VVP9885NPDG-2","callback":true,"kind":"activity","token":"1b62ca6fe3cf2e93f0df3b82035df972","until":4950176402409}]', NULL, NULL, 'golden.weft:13', 1796576402375, 1796576402409, 2, '\x7b2276223a312c226964223a2230314d393634525059374531394635565650393838354e504447222c2266756e63223a302c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a302c227063223a31312c226c6f63616c73223a5b7b226974656d73223a5b2261222c2262222c2263225d7d2c312c5b7b226974656d223a2261222c22706f696e7473223a317d5d2c2262222c7b22706f696e7473223a317d2c5b2261222c2262222c2263225d2c325d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a327d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2232223a7b2263616c6c5f6964223a2230314d393634525059374531394635565650393838354e5044472d32222c226163746976697479223a224c6f6f70417070726f7665222c2261726773223a5b2262225d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a333135333630303030303030302c2261776169746564223a747275652c226361746368223a66616c73652c22746f6b656e223a223162363263613666653363663265393366306466336238323033356466393732222c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363537363430323430392c22617474656d70745f737461727465645f6174223a313739363537363430323430392c226c6173745f6572726f72223a6e756c6c2c226174223a5b302c31305d7d7d2c226e6578745f63616c6c223a332c2274696d657273223a7b2261776169743a32223a7b226174223a343935303137363430323430392c226b696e64223a7b226b696e64223a22617761697454696d656f7574222c2263616c6c223a327d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a33317d', NULL, 1796576412409, 2);
INSERT INTO weft_golden_src.runs VALUES ('01M964RQ2GWZ40WXTF5GDPNPK7', 'RetryPending', 1, 'running', '{"id":7,"pause":"2m"}', NULL, NULL, '[{"activity":"RetryFlaky","callId":"01M964RQ2GWZ40WXTF5GDPNPK7-2","callback":false,"kind":"activity","token":null,"until":null}]', NULL, NULL, 'golden.weft:46', 1796576402512, 1796576402575, 3, '\x7b2276223a312c226964223a2230314d39363452513247575a343057585446354744504e504b37222c2266756e63223a322c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a322c227063223a31312c226c6f63616c73223a5b7b226964223a372c227061757365223a22326d227d2c7b227072657061726564223a377d2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a327d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2232223a7b2263616c6c5f6964223a2230314d39363452513247575a343057585446354744504e504b372d32222c226163746976697479223a225265747279466c616b79222c2261726773223a5b7b227072657061726564223a377d5d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a332c226261636b6f66665f6d73223a3132303030302c226261636b6f66665f6d61785f6d73223a3132303030302c2274696d656f75745f6d73223a6e756c6c2c2261776169746564223a66616c73652c226361746368223a66616c73652c22746f6b656e223a6e756c6c2c227068617365223a226261636b6f6666222c22737461727465645f6174223a313739363537363430323532382c22617474656d70745f737461727465645f6174223a313739363537363430323532382c226c6173745f6572726f72223a22636f6e6e656374696f6e207265736574222c226174223a5b322c31305d7d7d2c226e6578745f63616c6c223a332c2274696d657273223a7b226261636b6f66663a32223a7b226174223a313739363537363531383939302c226b696e64223a7b226b696e64223a226261636b6f6666222c2263616c6c223a327d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2272756e6e696e67222c22726573756c74223a6e756c6c2c227374657073223a31317d', 'golden-maker-3ed8eb04', 1796576412512, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M964RQ060YM59YDMQJ8CY9WG', 'Fanout', 1, 'running', '{"items":[{"id":1,"kind":"work"},{"id":2,"kind":"callback"},{"id":3,"kind":"sleep"},{"id":4,"kind":"slow"}],"pause":"2m"}', NULL, NULL, '[{"activity":"FanoutConfirm","callId":"01M964RQ060YM59YDMQJ8CY9WG-2","callback":true,"kind":"activity","token":"ff665b764f656893a2654df4c39d06b1","until":4950176402438},{"kind":"timer","until":1796576522438},{"activity":"FanoutSlow","callId":"01M964RQ060YM59YDMQJ8CY9WG-3","callback":false,"kind":"activity","token":null,"until":null}]', NULL, NULL, 'golden.weft:25', 1796576402438, 1796576402465, 2, '\x7b2276223a312c226964223a2230314d3936345251303630594d353959444d514a384359395747222c2266756e63223a312c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a312c227063223a352c226c6f63616c73223a5b7b226974656d73223a5b7b226964223a312c226b696e64223a22776f726b227d2c7b226964223a322c226b696e64223a2263616c6c6261636b227d2c7b226964223a332c226b696e64223a22736c656570227d2c7b226964223a342c226b696e64223a22736c6f77227d5d2c227061757365223a22326d227d2c6e756c6c2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2247726f7570223a307d2c226f776e6572223a6e756c6c7d2c2232223a7b226672616d6573223a5b7b2266756e63223a392c227063223a392c226c6f63616c73223a5b7b226964223a322c226b696e64223a2263616c6c6261636b227d2c6e756c6c2c6e756c6c2c6e756c6c2c7b226974656d73223a5b7b226964223a312c226b696e64223a22776f726b227d2c7b226964223a322c226b696e64223a2263616c6c6261636b227d2c7b226964223a332c226b696e64223a22736c656570227d2c7b226964223a342c226b696e64223a22736c6f77227d5d2c227061757365223a22326d227d5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a327d2c226f776e6572223a5b302c315d7d2c2233223a7b226672616d6573223a5b7b2266756e63223a392c227063223a32362c226c6f63616c73223a5b7b226964223a332c226b696e64223a22736c656570227d2c6e756c6c2c6e756c6c2c6e756c6c2c7b226974656d73223a5b7b226964223a312c226b696e64223a22776f726b227d2c7b226964223a322c226b696e64223a2263616c6c6261636b227d2c7b226964223a332c226b696e64223a22736c656570227d2c7b226964223a342c226b696e64223a22736c6f77227d5d2c227061757365223a22326d227d5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2254696d6572223a22736c6565703a33227d2c226f776e6572223a5b302c325d7d2c2234223a7b226672616d6573223a5b7b2266756e63223a392c227063223a34322c226c6f63616c73223a5b7b226964223a342c226b696e64223a22736c6f77227d2c6e756c6c2c6e756c6c2c6e756c6c2c7b226974656d73223a5b7b226964223a312c226b696e64223a22776f726b227d2c7b226964223a322c226b696e64223a2263616c6c6261636b227d2c7b226964223a332c226b696e64223a22736c656570227d2c7b226964223a342c226b696e64223a22736c6f77227d5d2c227061757365223a22326d227d5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a337d2c226f776e6572223a5b302c335d7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a352c2263616c6c73223a7b2232223a7b2263616c6c5f6964223a2230314d3936345251303630594d353959444d514a3843593957472d32222c226163746976697479223a2246616e6f7574436f6e6669726d222c2261726773223a5b325d2c226669626572223a322c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a333135333630303030303030302c2261776169746564223a747275652c226361746368223a66616c73652c22746f6b656e223a226666363635623736346636353638393361323635346466346333396430366231222c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363537363430323433382c22617474656d70745f737461727465645f6174223a313739363537363430323433382c226c6173745f6572726f72223a6e756c6c2c226174223a5b392c385d7d2c2233223a7b2263616c6c5f6964223a2230314d3936345251303630594d353959444d514a3843593957472d33222c226163746976697479223a2246616e6f7574536c6f77222c2261726773223a5b345d2c226669626572223a342c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a6e756c6c2c2261776169746564223a66616c73652c226361746368223a66616c73652c22746f6b656e223a6e756c6c2c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363537363430323433382c22617474656d70745f737461727465645f6174223a313739363537363430323433382c226c6173745f6572726f72223a6e756c6c2c226174223a5b392c34315d7d7d2c226e6578745f63616c6c223a342c2274696d657273223a7b2261776169743a32223a7b226174223a343935303137363430323433382c226b696e64223a7b226b696e64223a22617761697454696d656f7574222c2263616c6c223a327d7d2c22736c6565703a33223a7b226174223a313739363537363532323433382c226b696e64223a7b226b696e64223a22736c656570222c226669626572223a332c2276616c7565223a6e756c6c7d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b2230223a7b226d6f6465223a2245786563757465222c226669626572223a302c22736c6f7473223a5b7b22446f6e65223a7b226964223a312c22776f726b223a227731227d7d2c7b224669626572223a327d2c7b224669626572223a337d2c7b224669626572223a347d5d7d7d2c226e6578745f67726f7570223a312c226661696c75726573223a7b7d2c22737461747573223a2272756e6e696e67222c22726573756c74223a6e756c6c2c227374657073223a37317d', 'golden-maker-3ed8eb04', 1796576412438, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M964RQ4TMM45FTR8JK7X2WT2', 'Poller', 1, 'waiting', '{"pauses":["2m","1s","1s"]}', NULL, NULL, '[{"kind":"timer","until":1796576522599}]', NULL, NULL, 'golden.weft:59', 1796576402586, 1796576402599, 2, '\x7b2276223a312c226964223a2230314d393634525134544d4d3435465452384a4b375832575432222c2266756e63223a332c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a332c227063223a32352c226c6f63616c73223a5b7b22706175736573223a5b22326d222c223173222c223173225d7d2c5b2270656e64696e67225d2c302c2270656e64696e67222c5b302c312c325d2c315d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2254696d6572223a22736c6565703a30227d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a322c2274696d657273223a7b22736c6565703a30223a7b226174223a313739363537363532323539392c226b696e64223a7b226b696e64223a22736c656570222c226669626572223a302c2276616c7565223a6e756c6c7d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a32347d', NULL, 1796576412586, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M964RQ5GP4P8F2E19KXRV108', 'SideJob', 1, 'running', '{"input":{"id":9}}', NULL, NULL, '[{"activity":"SideWork","callId":"01M964RQ5GP4P8F2E19KXRV108-1","callback":false,"kind":"activity","token":null,"until":null}]', '01M964RQ5GEWRA99FY0MJS9RJC', NULL, 'golden.weft:68', 1796576402608, 1796576402608, 1, '\x7b2276223a312c226964223a2230314d393634525135475034503846324531394b585256313038222c2266756e63223a31302c226465707468223a312c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a31302c227063223a332c226c6f63616c73223a5b7b226964223a397d2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a317d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2231223a7b2263616c6c5f6964223a2230314d393634525135475034503846324531394b5852563130382d31222c226163746976697479223a2253696465576f726b222c2261726773223a5b395d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a6e756c6c2c2261776169746564223a66616c73652c226361746368223a66616c73652c22746f6b656e223a6e756c6c2c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363537363430323630382c22617474656d70745f737461727465645f6174223a313739363537363430323630382c226c6173745f6572726f72223a6e756c6c2c226174223a5b31302c325d7d7d2c226e6578745f63616c6c223a322c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2272756e6e696e67222c22726573756c74223a6e756c6c2c227374657073223a337d', 'golden-maker-3ed8eb04', 1796576412608, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M964RQ5GASBZMNK8A6FQDP3Z', 'ChildApproval', 1, 'waiting', '{"req":{"id":9}}', NULL, NULL, '[{"activity":"ChildSignoff","callId":"01M964RQ5GASBZMNK8A6FQDP3Z-1","callback":true,"kind":"activity","token":"ac55a99cffddb72d6292fcdfc87fd3d3","until":4950176402608}]', '01M964RQ5GEWRA99FY0MJS9RJC', NULL, 'children.weft:3', 1796576402608, 1796576402608, 1, '\x7b2276223a312c226964223a2230314d393634525135474153425a4d4e4b38413646514450335a222c2266756e63223a372c226465707468223a312c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a372c227063223a342c226c6f63616c73223a5b7b226964223a397d2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a317d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2231223a7b2263616c6c5f6964223a2230314d393634525135474153425a4d4e4b38413646514450335a2d31222c226163746976697479223a224368696c645369676e6f6666222c2261726773223a5b395d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a333135333630303030303030302c2261776169746564223a747275652c226361746368223a66616c73652c22746f6b656e223a226163353561393963666664646237326436323932666364666338376664336433222c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363537363430323630382c22617474656d70745f737461727465645f6174223a313739363537363430323630382c226c6173745f6572726f72223a6e756c6c2c226174223a5b372c335d7d7d2c226e6578745f63616c6c223a322c2274696d657273223a7b2261776169743a31223a7b226174223a343935303137363430323630382c226b696e64223a7b226b696e64223a22617761697454696d656f7574222c2263616c6c223a317d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a347d', NULL, 1796576412608, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M964RQ5GEWRA99FY0MJS9RJC', 'Parent', 1, 'waiting', '{"id":9}', NULL, NULL, '[{"flow":"ChildApproval","kind":"child","runId":"01M964RQ5GASBZMNK8A6FQDP3Z"}]', NULL, NULL, 'golden.weft:71', 1796576402608, 1796576402608, 1, '\x7b2276223a312c226964223a2230314d393634525135474557524139394659304d4a5339524a43222c2266756e63223a342c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a342c227063223a382c226c6f63616c73223a5b7b226964223a397d2c7b222468223a307d2c6e756c6c2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b224368696c64223a7b226368696c64223a312c2270757368223a747275657d7d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b7d2c226e6578745f63616c6c223a312c2274696d657273223a7b7d2c226368696c6472656e223a7b2230223a7b2272756e5f6964223a2230314d393634525135475034503846324531394b585256313038222c22666c6f77223a22536964654a6f62222c227374617465223a7b227374617465223a2272756e6e696e67227d2c227374617274223a7b2266756e63223a31302c2261726773223a5b7b226964223a397d5d2c226361707475726573223a5b5d2c22696e707574223a7b22696e707574223a7b226964223a397d7d7d7d2c2231223a7b2272756e5f6964223a2230314d393634525135474153425a4d4e4b38413646514450335a222c22666c6f77223a224368696c64417070726f76616c222c227374617465223a7b227374617465223a2272756e6e696e67227d2c227374617274223a7b2266756e63223a372c2261726773223a5b7b226964223a397d5d2c226361707475726573223a5b5d2c22696e707574223a7b22726571223a7b226964223a397d7d7d7d7d2c226e6578745f6368696c64223a322c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a387d', NULL, 1796576412608, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M964RQ6A4VZYBGWNPCJ6Q8JQ', 'Saga', 1, 'waiting', '{"id":5}', NULL, NULL, '[{"activity":"SagaDecide","callId":"01M964RQ6A4VZYBGWNPCJ6Q8JQ-2","callback":true,"kind":"activity","token":"db0af2186cf8d31743dcfe5dba49f11e","until":4950176402668}]', NULL, NULL, 'golden.weft:88', 1796576402634, 1796576402668, 2, '\x7b2276223a312c226964223a2230314d3936345251364134565a594247574e50434a3651384a51222c2266756e63223a352c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a352c227063223a31352c226c6f63616c73223a5b7b226964223a357d2c5b7b222463223a31312c2276223a5b7b22726566223a227235227d5d7d5d2c7b22726566223a227235227d2c6e756c6c2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a7b2243616c6c223a327d2c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2232223a7b2263616c6c5f6964223a2230314d3936345251364134565a594247574e50434a3651384a512d32222c226163746976697479223a2253616761446563696465222c2261726773223a5b227235225d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a333135333630303030303030302c2261776169746564223a747275652c226361746368223a66616c73652c22746f6b656e223a226462306166323138366366386433313734336463666535646261343966313165222c227068617365223a2272756e6e696e67222c22737461727465645f6174223a313739363537363430323636382c22617474656d70745f737461727465645f6174223a313739363537363430323636382c226c6173745f6572726f72223a6e756c6c2c226174223a5b352c31345d7d7d2c226e6578745f63616c6c223a332c2274696d657273223a7b2261776169743a32223a7b226174223a343935303137363430323636382c226b696e64223a7b226b696e64223a22617761697454696d656f7574222c2263616c6c223a327d7d7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b7d2c22737461747573223a2277616974696e67222c22726573756c74223a6e756c6c2c227374657073223a31357d', NULL, 1796576412634, 1);
INSERT INTO weft_golden_src.runs VALUES ('01M964RQ7RKMQ6F20JZN3RWK7X', 'Repair', 1, 'failed', '{"id":3}', NULL, '{"location":{"col":15,"file":"golden.weft","line":98,"sourceLine":"fetched = RepairFetch(input.id)"},"message":"RepairFetch failed: not found"}', '[]', NULL, NULL, 'golden.weft:98', 1796576402680, 1796576402728, 2, '\x7b2276223a312c226964223a2230314d393634525137524b4d51364632304a5a4e3352574b3758222c2266756e63223a362c226465707468223a302c22666962657273223a7b2230223a7b226672616d6573223a5b7b2266756e63223a362c227063223a332c226c6f63616c73223a5b7b226964223a337d2c6e756c6c5d2c2262617365223a307d5d2c22737461636b223a5b5d2c2277616974223a224661696c6564222c226f776e6572223a6e756c6c7d7d2c227265616479223a5b5d2c226e6578745f6669626572223a312c2263616c6c73223a7b2231223a7b2263616c6c5f6964223a2230314d393634525137524b4d51364632304a5a4e3352574b37582d31222c226163746976697479223a225265706169724665746368222c2261726773223a5b335d2c226669626572223a302c22617474656d7074223a312c22617474656d70745f62617365223a302c2272657472696573223a302c226261636b6f66665f6d73223a313030302c226261636b6f66665f6d61785f6d73223a3330303030302c2274696d656f75745f6d73223a6e756c6c2c2261776169746564223a66616c73652c226361746368223a66616c73652c22746f6b656e223a6e756c6c2c227068617365223a226661696c6564222c22737461727465645f6174223a313739363537363430323638302c22617474656d70745f737461727465645f6174223a313739363537363430323638302c226c6173745f6572726f72223a226e6f7420666f756e64222c226174223a5b362c325d7d7d2c226e6578745f63616c6c223a322c2274696d657273223a7b7d2c226368696c6472656e223a7b7d2c226e6578745f6368696c64223a302c2267726f757073223a7b7d2c226e6578745f67726f7570223a302c226661696c75726573223a7b2230223a7b226b696e64223a7b226b696e64223a2263616c6c222c2263616c6c223a317d2c226d657373616765223a225265706169724665746368206661696c65643a206e6f7420666f756e64222c226c6f636174696f6e223a7b2266696c65223a22676f6c64656e2e77656674222c226c696e65223a39382c22636f6c223a31352c22736f757263654c696e65223a2266657463686564203d20526570616972466574636828696e7075742e696429227d7d7d2c22737461747573223a226661696c6564222c22726573756c74223a6e756c6c2c227374657073223a337d', NULL, 1796576412680, 1);


--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.schema_migrations VALUES (1, 'runs, journal, timers, tasks, tokens, deployments', '2026-12-06 16:59:42.905787+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (2, 'clusters: run leases, the inbox, task leases', '2026-12-06 16:59:42.905787+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (3, 'tasks: the node holding the run, leased through it first', '2026-12-06 16:59:42.905787+00');
INSERT INTO weft_golden_src.schema_migrations VALUES (4, 'stored programs; runs parked because a build could not read them', '2026-12-06 16:59:42.905787+00');


--
-- Data for Name: tasks; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.tasks VALUES ('01M964RPY7E19F5VVP9885NPDG-2', '01M964RPY7E19F5VVP9885NPDG', '{"callId":"01M964RPY7E19F5VVP9885NPDG-2","runId":"01M964RPY7E19F5VVP9885NPDG","call":2,"activity":"LoopApprove","args":["b"],"attempt":1,"deadline":null,"callbackToken":"1b62ca6fe3cf2e93f0df3b82035df972"}', 'LoopApprove', NULL, 1796576402459, 'golden-maker-3ed8eb04');
INSERT INTO weft_golden_src.tasks VALUES ('01M964RQ060YM59YDMQJ8CY9WG-2', '01M964RQ060YM59YDMQJ8CY9WG', '{"callId":"01M964RQ060YM59YDMQJ8CY9WG-2","runId":"01M964RQ060YM59YDMQJ8CY9WG","call":2,"activity":"FanoutConfirm","args":[2],"attempt":1,"deadline":null,"callbackToken":"ff665b764f656893a2654df4c39d06b1"}', 'FanoutConfirm', NULL, 1796576402488, 'golden-maker-3ed8eb04');
INSERT INTO weft_golden_src.tasks VALUES ('01M964RQ060YM59YDMQJ8CY9WG-3', '01M964RQ060YM59YDMQJ8CY9WG', '{"callId":"01M964RQ060YM59YDMQJ8CY9WG-3","runId":"01M964RQ060YM59YDMQJ8CY9WG","call":3,"activity":"FanoutSlow","args":[4],"attempt":1,"deadline":null,"callbackToken":null}', 'FanoutSlow', NULL, 1796576402488, 'golden-maker-3ed8eb04');
INSERT INTO weft_golden_src.tasks VALUES ('01M964RQ5GASBZMNK8A6FQDP3Z-1', '01M964RQ5GASBZMNK8A6FQDP3Z', '{"callId":"01M964RQ5GASBZMNK8A6FQDP3Z-1","runId":"01M964RQ5GASBZMNK8A6FQDP3Z","call":1,"activity":"ChildSignoff","args":[9],"attempt":1,"deadline":null,"callbackToken":"ac55a99cffddb72d6292fcdfc87fd3d3"}', 'ChildSignoff', NULL, 1796576402658, 'golden-maker-3ed8eb04');
INSERT INTO weft_golden_src.tasks VALUES ('01M964RQ5GP4P8F2E19KXRV108-1', '01M964RQ5GP4P8F2E19KXRV108', '{"callId":"01M964RQ5GP4P8F2E19KXRV108-1","runId":"01M964RQ5GP4P8F2E19KXRV108","call":1,"activity":"SideWork","args":[9],"attempt":1,"deadline":null,"callbackToken":null}', 'SideWork', NULL, 1796576402658, 'golden-maker-3ed8eb04');
INSERT INTO weft_golden_src.tasks VALUES ('01M964RQ6A4VZYBGWNPCJ6Q8JQ-2', '01M964RQ6A4VZYBGWNPCJ6Q8JQ', '{"callId":"01M964RQ6A4VZYBGWNPCJ6Q8JQ-2","runId":"01M964RQ6A4VZYBGWNPCJ6Q8JQ","call":2,"activity":"SagaDecide","args":["r5"],"attempt":1,"deadline":null,"callbackToken":"db0af2186cf8d31743dcfe5dba49f11e"}', 'SagaDecide', NULL, 1796576402718, 'golden-maker-3ed8eb04');


--
-- Data for Name: timers; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.timers VALUES ('01M964RPY7E19F5VVP9885NPDG', 'await:2', 4950176402409);
INSERT INTO weft_golden_src.timers VALUES ('01M964RQ060YM59YDMQJ8CY9WG', 'await:2', 4950176402438);
INSERT INTO weft_golden_src.timers VALUES ('01M964RQ060YM59YDMQJ8CY9WG', 'sleep:3', 1796576522438);
INSERT INTO weft_golden_src.timers VALUES ('01M964RQ2GWZ40WXTF5GDPNPK7', 'backoff:2', 1796576518990);
INSERT INTO weft_golden_src.timers VALUES ('01M964RQ4TMM45FTR8JK7X2WT2', 'sleep:0', 1796576522599);
INSERT INTO weft_golden_src.timers VALUES ('01M964RQ5GASBZMNK8A6FQDP3Z', 'await:1', 4950176402608);
INSERT INTO weft_golden_src.timers VALUES ('01M964RQ6A4VZYBGWNPCJ6Q8JQ', 'await:2', 4950176402668);


--
-- Data for Name: tokens; Type: TABLE DATA; Schema: weft_golden_src; Owner: -
--

INSERT INTO weft_golden_src.tokens VALUES ('2bd6e3e4e0efdefacc69fc2c8b1db979', '01M964R4XM9RT1HBW3XEVB6J11', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('d2b089074679bb7c89400a1116044430', '01M964R4XM9RT1HBW3XEVB6J11', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('01cf12cc3412dd385e34fd3ab5be9699', '01M964R4XM9RT1HBW3XEVB6J11', 3, false);
INSERT INTO weft_golden_src.tokens VALUES ('adc776e7919f4d6befadaea2f057d091', '01M964R5HR24M70RZMP88V2DNH', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('18963bdf6ee9c84a46f368db6a362766', '01M964RMCCHE7PRJ817KZZSP1M', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('96055fb50fe60bf40ec9af4a58da34d4', '01M964RPKN2T4CMFTFTMVEF19K', 2, false);
INSERT INTO weft_golden_src.tokens VALUES ('1b62ca6fe3cf2e93f0df3b82035df972', '01M964RPY7E19F5VVP9885NPDG', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('d3d61fd69c49b5948b4829f093039e52', '01M964RPY7E19F5VVP9885NPDG', 1, false);
INSERT INTO weft_golden_src.tokens VALUES ('ff665b764f656893a2654df4c39d06b1', '01M964RQ060YM59YDMQJ8CY9WG', 2, true);
INSERT INTO weft_golden_src.tokens VALUES ('ac55a99cffddb72d6292fcdfc87fd3d3', '01M964RQ5GASBZMNK8A6FQDP3Z', 1, true);
INSERT INTO weft_golden_src.tokens VALUES ('db0af2186cf8d31743dcfe5dba49f11e', '01M964RQ6A4VZYBGWNPCJ6Q8JQ', 2, true);


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
-- Name: parked_inbox_by_run; Type: INDEX; Schema: weft_golden_src; Owner: -
--

CREATE INDEX parked_inbox_by_run ON weft_golden_src.parked_inbox USING btree (run_id, id);


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


