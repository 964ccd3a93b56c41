;; A test guest of the weft:activity world, written by hand so the host's
;; tests need no guest toolchain. The activity name's first letter picks
;; the behaviour:
;;   E  echo: returns the args JSON as the result
;;   F  fails: returns failure {message: "nope", retryable: false}
;;   C  counts: returns how many C calls this instance has served (1-9)
;;   B  bad: returns text that is not JSON
;;   L  loops for ever (stopped at the deadline)
;;   M  grows memory for ever (stopped at the memory cap)
;;   anything else traps (unreachable)
(component
  (core module $m
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    (global $count (mut i32) (i32.const 0))
    (data (i32.const 16) "nope")
    (data (i32.const 32) "not json")
    (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32)
      (local.set $p
        (i32.and
          (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      (global.set $heap (i32.add (local.get $p) (local.get $size)))
      (block $ok
        (br_if $ok (i32.le_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536))))
        (drop (memory.grow
          (i32.add
            (i32.shr_u (i32.sub (global.get $heap) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16))
            (i32.const 1)))))
      (local.get $p))
    (func (export "run")
      (param $ap i32) (param $al i32) (param i32 i32 i32 i32)
      (param $attempt i32) (param $deadline i64) (param $argp i32) (param $argl i32)
      (result i32)
      (local $c i32)
      (local.set $c (i32.load8_u (local.get $ap)))
      (if (i32.eq (local.get $c) (i32.const 69)) (then
        (i32.store8 (i32.const 64) (i32.const 0))
        (i32.store (i32.const 68) (local.get $argp))
        (i32.store (i32.const 72) (local.get $argl))
        (return (i32.const 64))))
      (if (i32.eq (local.get $c) (i32.const 70)) (then
        (i32.store8 (i32.const 64) (i32.const 1))
        (i32.store (i32.const 68) (i32.const 16))
        (i32.store (i32.const 72) (i32.const 4))
        (i32.store8 (i32.const 76) (i32.const 0))
        (return (i32.const 64))))
      (if (i32.eq (local.get $c) (i32.const 67)) (then
        (global.set $count (i32.add (global.get $count) (i32.const 1)))
        (i32.store8 (i32.const 48) (i32.add (i32.const 48) (global.get $count)))
        (i32.store8 (i32.const 64) (i32.const 0))
        (i32.store (i32.const 68) (i32.const 48))
        (i32.store (i32.const 72) (i32.const 1))
        (return (i32.const 64))))
      (if (i32.eq (local.get $c) (i32.const 66)) (then
        (i32.store8 (i32.const 64) (i32.const 0))
        (i32.store (i32.const 68) (i32.const 32))
        (i32.store (i32.const 72) (i32.const 8))
        (return (i32.const 64))))
      (if (i32.eq (local.get $c) (i32.const 76)) (then
        (loop $l (br $l))))
      (if (i32.eq (local.get $c) (i32.const 77)) (then
        (loop $g (drop (memory.grow (i32.const 16))) (br $g))))
      unreachable))
  (core instance $i (instantiate $m))
  (type $call' (record
    (field "activity" string)
    (field "call-id" string)
    (field "run-id" string)
    (field "attempt" u32)
    (field "deadline-ms" s64)
    (field "args" string)))
  (export $call "call" (type $call'))
  (type $failure' (record (field "message" string) (field "retryable" bool)))
  (export $failure "failure" (type $failure'))
  (func $run (param "call" $call) (result (result string (error $failure)))
    (canon lift (core func $i "run") (memory (core memory $i "memory")) (realloc (core func $i "cabi_realloc"))))
  (export "run" (func $run)))
