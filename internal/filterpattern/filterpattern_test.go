package filterpattern

import (
	"errors"
	"strings"
	"testing"
)

// Events of the test vectors in log-events.md §4.5.
const (
	U1  = "[ERROR 400] BAD REQUEST"
	U2  = "[ERROR 401] UNAUTHORIZED REQUEST"
	U3  = "[ERROR 419] MISSING ARGUMENTS"
	U4  = "[ERROR 420] INVALID ARGUMENTS"
	U5  = "[ERROR 500] INTERNAL SERVER ERROR"
	U6  = "[INFO] REQUEST FAILED"
	U7  = "[WARN] UNAUTHORIZED REQUEST"
	U8  = "[ERROR] 400 BAD REQUEST"
	U9  = "[INFO] INVALID ARGUMENTS PROVIDED"
	U10 = "[SUCCESS 200] AUTHORIZED REQUEST"

	W1 = "ERROR WARN message"
	W2 = "ERROR message"
	W3 = "WARN message"

	J1 = `{"eventType":"UpdateTrail","sourceIPAddress":"111.111.111.111","arrayKey":["value","another value"],"objectList":[{"name":"a","id":1},{"name":"b","id":2}],"SomeObject":null,"cluster.name":"c","ThisFlag":true}`
	J2 = `{"user":{"id":1,"email":"John.Stiles@example.com"},"users":[{"id":2,"email":"John.Doe@example.com"},{"id":3,"email":"Jane.Doe@example.com"}],"actions":["GET","PUT","DELETE"],"coordinates":[[0,1,2],[4,5,6],[7,8,9]]}`
	F1 = `{"foo":"bar"}`
	F2 = `{"foo":"baz"}`

	A1 = `127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534`
	A2 = `127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324`
	A3 = `127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355`
	A4 = `127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534`

	L1 = "INFO 09/25/2014 12:00:00 GET /service/resource/67 1200"
	L2 = "INFO 09/25/2014 12:00:01 POST /service/resource/67/part/111 1310"
	L3 = "WARNING 09/25/2014 12:00:02 Invalid user request"
	L4 = "ERROR 09/25/2014 12:00:02 Failed to process request"
)

type vector struct {
	pattern string
	match   []string
	noMatch []string
}

func ss(s ...string) []string { return s }

var vectors = []vector{
	// Term patterns, first table of §4.5. Terms are substrings, so U8
	// (which contains ERROR and REQUEST) matches where the doc lists
	// only the U1–U5 examples.
	{"ERROR", ss(U1, U2, U3, U4, U5, U8), ss(U6, U7, U9, U10)},
	{"ERROR ARGUMENTS", ss(U3, U4), ss(U1, U2, U5, U9)},
	{"?ERROR ?ARGUMENTS", ss(U1, U2, U3, U4, U5, U8, U9), ss(U6, U7, U10)},
	{"?ERROR ?ARGUMENTS REQUEST", ss(U6, U7, U8, U1, U2, U10), ss(U3, U4, U9, U5)},
	{`"INTERNAL SERVER ERROR"`, ss(U5), ss(U1, U2, U3, U4, "INTERNAL  SERVER ERROR")},
	{"ERROR -ARGUMENTS", ss(U1, U2, U5), ss(U3, U4, U9)},
	{`" "`, ss(U1, U6, "x", ""), nil},
	{"%AUTHORIZED%", ss(U2, U10, U7), ss(U1, "authorized")},

	// Term patterns, second table.
	{"ERROR", ss("Exiting with ERRORCODE: -1", "[ERROR] A fatal exception has occurred", "ERRORNEOUS PROGRAM"),
		ss("error=cannot process ticket", "rpc error", "Error: entity not found!", "NotFoundError", "ErRoR")},
	{"ERROR Exception", ss("[ERROR] Caught IllegalArgumentException", "[ERROR] Unhandled Exception"), ss("[ERROR] Unhandled exception", "Exception")},
	{"Failed to process the request", ss("[WARN] Failed to process the request", "[ERROR] Unable to continue: Failed to process the request"), ss("Failed to process request")},
	{"ERROR", ss(W1, W2), ss(W3)},
	{"?ERROR ?WARN", ss(W1, W2, W3), ss("INFO message")},
	{"ERROR WARN", ss(W1), ss(W2, W3)},
	{"ERROR -WARN", ss(W2), ss(W1, W3)},
	{"ARGUMENT ERROR", ss(U3, U4), ss(U1, U2)},
	{`"ERROR][grpc"`, ss("2025-03-28 [ERROR][grpc] failed"), ss("[ERROR] [grpc]")},
	{"?BAD ?INVALID", ss(U1, U4), ss(U2, U3)},
	{`?"clean up" ?xyz`, ss("map clean up", "xyz", "xyz will do clean up"), ss("abc xy yz xz", "map is cleaned up", U3)},

	// Term pattern details.
	{`"ERROR" - "Exiting"`, ss("[ERROR] A fatal exception has occurred"), ss("Exiting with ERRORCODE: -1")},
	{"ORDER-ITEM-1", ss("ORDER placed"), ss("ORDER-ITEM-1", "ORDER 1")}, // read as ORDER -ITEM -1
	{"?ERROR -WARN", ss(W2, "INFO"), ss(W1, W3)},                        // a '-' term makes '?' terms ignored
	{`?ERROR " "`, ss("INFO"), nil},
	{`-" "`, nil, ss("x", "")},
	{`?" " ?ERROR`, ss("x"), nil},
	{`"say \"hi\""`, ss(`they say "hi"`), ss(`they say \"hi\"`)},
	{`"level\\\":\\\"error"`, ss(`{\"level\":\"error\"}`), ss(`{"level":"error"}`)},
	{`"a\b"`, ss(`a\b`), ss("ab")},
	{"  \t ", ss("anything", ""), nil},
	{"-ERROR", ss("INFO"), ss(U1)},

	// Regex operator examples.
	{"%^[hc]at%", ss("hat rack", "cat nap"), ss("that")},
	{"%[hc]at$%", ss("a red hat", "cat"), ss("hats")},
	{"%colou?r%", ss("color", "colour"), ss("colr")},
	{"%[abcx-z]%", ss("y", "a"), ss("w")},
	{"%gra|ey%", ss("gray", "grey"), ss("gr")},
	{"%^starting|^initializing|^shutting down%", ss("starting the engine", "shutting down now"), ss("skipping initializing step", "shutting")},
	{`%\[.\]%`, ss("[a]", "[7]", "[ ]"), ss("[ab]", "[]")},
	{`%10\.10\.0\.1%`, ss("10.10.0.1"), ss("10010,051")},
	{"%10.10.0.1%", ss("10.10.0.1", "10010,051"), ss("10.10.0")},
	{"%ab*c%", ss("ac", "abc", "abbbc"), ss("ab")},
	{"%ab[0-9]*%", ss("ab", "ab0", "ab129"), ss("a b")},
	{"%ab+c%", ss("abc", "abbc"), ss("ac")},
	{"%.at%", ss("hat", "4at", " at"), ss("at")},
	{`%\x3A%`, ss(":"), ss("x3A")},
	{`%\x28%`, ss("("), ss("x28")},
	{"%a{3,5}%", ss("aaa", "aaaaa", "aaaaaa"), ss("aa")},
	{"%^a{,2}b$%", ss("b", "ab", "aab"), ss("aaab", "a{,2}b")},
	{"%^[{,2}]$%", ss("{", ",", "2"), ss("0", "")},
	{"%^a{2,}$%", ss("aa", "aaaa"), ss("a")},
	{`%\d\s\w%`, ss("1 a"), ss("1a")},
	{`%[^a-z]%`, ss("A"), ss("abc")},
	{"%^ERROR%", ss(U8[1:]), ss(U8)},
	{"  %ERROR%  ", ss(U1), ss(U6)},
	{`%user@host/x;y,z-w#1=2:3%`, ss("user@host/x;y,z-w#1=2:3"), ss("user")},

	// JSON, J1: every documented pattern matches, derived ones do not.
	{`{ $.eventType = "UpdateTrail" }`, ss(J1), nil},
	{`{ $.sourceIPAddress != 123.123.* }`, ss(J1), ss(`{"sourceIPAddress":"123.123.1.1"}`)},
	{`{ $.arrayKey[0] = "value" }`, ss(J1), ss(`{"arrayKey":"value"}`)},
	{`{ $.objectList[1].id = 2 }`, ss(J1), ss(`{"objectList":[{"id":2}]}`)},
	{`{ $.eventType = %Trail% }`, ss(J1), ss(`{"eventType":"UpdateTrai"}`)},
	{`{ $.arrayKey[*] = %val.{2}% }`, ss(J1), ss(`{"arrayKey":["val"]}`)},
	{`{ $.* = %111\.111\.111\.1[0-9]{1,2}% }`, ss(J1), ss(`{"a":{"ip":"111.111.111.111"}}`)},
	{`{ $.['cluster.name'] = "c" }`, ss(J1), ss(`{"cluster":{"name":"c"}}`)},
	{`{ $.SomeObject IS NULL }`, ss(J1), ss(`{"SomeObject":"null"}`, `{}`)},
	{`{ $.SomeOtherObject NOT EXISTS }`, ss(J1), ss(`{"SomeOtherObject":{}}`, "SomeOtherObject", "")},
	{`{ $.ThisFlag IS TRUE }`, ss(J1), ss(`{"ThisFlag":"true"}`, `{"ThisFlag":false}`)},
	{`{ $.eventType = "UpdateTrai" }`, nil, ss(J1)},
	{`{ $.SomeObject NOT EXISTS }`, nil, ss(J1)},
	{`{ $.ThisFlag IS FALSE }`, ss(`{"ThisFlag":false}`), ss(J1)},
	{`{ $.objectList = 1 }`, nil, ss(J1)},
	{`{ $.arrayKey[5] = "value" }`, nil, ss(J1)},

	// JSON, J2.
	{`{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }`, ss(J2), nil},
	{`{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }`, ss(J2), nil},
	{`{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }`, nil, ss(J2)},
	{`{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }`, nil, ss(J2)},
	{`{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }`, ss(J2), nil}, // old page, unquoted
	{`{ $.coordinates[1][2] = 6 && $.actions[1] = PUT }`, ss(J2), nil},

	// More JSON from the old page.
	{`{$.users = 1}`, nil, ss(`{"users":[1,2,3]}`)},
	{`{$.users != 1}`, nil, ss(`{"users":[1,2,3]}`)},
	{`{$.foo = bar}`, ss(F1), ss(F2)},
	{`{$.foo = baz }`, ss(F2), ss(F1)},
	{`{$.foo = bar || $.foo = baz }`, ss(F1, F2), ss(`{"foo":"bat"}`)},

	// Numeric syntax that must parse, each with a match and a non-match.
	{`{ $.bandwidth > 75 }`, ss(`{"bandwidth":76}`, `{"bandwidth":"80"}`), ss(`{"bandwidth":75}`, `{"bandwidth":"fast"}`)},
	{`{ $.latency < 50 }`, ss(`{"latency":49.9}`), ss(`{"latency":50}`)},
	{`{ $.refreshRate >= 60 }`, ss(`{"refreshRate":60}`), ss(`{"refreshRate":59}`)},
	{`{ $.responseTime <= 5 }`, ss(`{"responseTime":5}`), ss(`{"responseTime":5.01}`)},
	{`{ $.errorCode = 400}`, ss(`{"errorCode":400}`, `{"errorCode":4e2}`, `{"errorCode":"400"}`), ss(`{"errorCode":401}`)},
	{`{ $.errorCode != 500 }`, ss(`{"errorCode":400}`, `{"errorCode":"abc"}`), ss(`{"errorCode":500}`, `{"errorCode":500.0}`, `{}`)},
	{`{ $.number[0] = 1e+3 }`, ss(`{"number":[1000]}`), ss(`{"number":[100]}`)},
	{`{ $.number[0] != 1e-3 }`, ss(`{"number":[1]}`), ss(`{"number":[0.001]}`)},
	{`{ $.numbers[0] < 10e3 }`, ss(`{"numbers":[9999]}`), ss(`{"numbers":[10000]}`)},
	{`{ $.processes[4].averageRuntime <= 55.5 }`, ss(`{"processes":[0,0,0,0,{"averageRuntime":55.5}]}`), ss(`{"processes":[{"averageRuntime":1}]}`)},
	{`{ $.latency > +1000 }`, ss(`{"latency":1001}`), ss(`{"latency":1000}`)},
	{`{ $.latency = * }`, ss(`{"latency":3}`, `{"latency":"x"}`), ss(`{"other":3}`, `{"latency":{"p99":3}}`)},
	{`{ $.latency >= -1.5e1 }`, ss(`{"latency":-15}`), ss(`{"latency":-16}`)},

	// JSON details.
	{`{ $.eventType = "*Trail" }`, ss(J1), nil},
	{`{ $.eventType = Update* }`, ss(J1), nil},
	{`{ $.eventType = *dateTr* }`, ss(J1), ss(`{"eventType":"Update"}`)},
	{`{ $.eventType = "*Trail" }`, nil, ss(`{"eventType":"Trails"}`)},
	{`{ $.eventType = Update* }`, nil, ss(`{"eventType":"Updat"}`)},
	{`{ $.eventType = Up*Trail }`, ss(`{"eventType":"Up*Trail"}`), ss(J1)},
	{`{ $.user.id = "1" }`, ss(J2), nil},
	{`{ $.a = "x y" }`, ss(`{"a":"x y"}`, `{"a":"x\u0020y"}`), ss(`{"a":"x  y"}`)},
	{`{ $.a = "q\"t" }`, ss(`{"a":"q\"t"}`), ss(`{"a":"qt"}`)},
	{`{ $.['a b'] = 1 }`, ss(`{"a b":1}`, `{"a\u0020b":1}`), ss(`{"a":{"b":1}}`)},
	{`{ $.a-b_c = 1 }`, ss(`{"a-b_c":1}`), ss(`{"a":1}`)},
	{`{ $.a.*.c = 1 }`, ss(`{"a":{"x":{"c":2},"y":{"c":1}}}`), ss(`{"a":{"x":{"c":2}}}`, `{"a":[{"c":1}]}`)},
	{`{ $.a[*][1] = 5 }`, ss(`{"a":[[0,1],[4,5]]}`), ss(`{"a":[[5],[5,6]]}`)},
	{`{ $.a = true }`, ss(`{"a":true}`, `{"a":"true"}`), ss(`{"a":false}`)},
	{`{ $.a = 1 }`, ss(` {"a":1} `, "{\"a\":1}\n"), ss(`{"a":1} x`, `{"a":1`, `{"a":01}`, `[{"a":1}]`, `{"a":1,}`, `{'a':1}`, `{"a":1}{}`)},
	{`{ $.a NOT EXISTS }`, ss(`{"b":{"a":1}}`, `{"a\u0062":1}`), ss(`{"a":null}`, `{"a":1} x`, `[]`, "not json")},
	{`{ $.a.b NOT EXISTS }`, ss(`{"a":"b"}`, `{"a":[{"b":1}]}`), ss(`{"a":{"b":[]}}`)},
	{`{ $.a IS NULL || $.b IS TRUE }`, ss(`{"b":true}`, `{"a":null}`), ss(`{"a":"x","b":1}`)},
	{`{ $.a = 1 && $.b = 2 || $.c = 3 }`, ss(`{"c":3}`, `{"a":1,"b":2}`), ss(`{"a":1,"c":4}`)},
	{`{ $.a = 1 && ($.b = 2 || $.c = 3) }`, ss(`{"a":1,"c":3}`), ss(`{"c":3}`)},
	{`{ $.a = %^x\x28$% }`, ss(`{"a":"x("}`), ss(`{"a":"x"}`)},
	{`{ $.a = 1 && $.a = 1 }`, ss(`{"a":[0],"a":1}`), ss(`{"a":2}`)},
	{`{ $.a[*] = 1 && $.b[*] = 1 && $.c.* = 1 }`, ss(`{"a":[0,1],"b":[1],"c":{"x":1}}`), ss(`{"a":[0,1],"b":[1],"c":{"x":2}}`)},
	{`{ $.a = %x% || $.b = %y% }`, ss(`{"b":"y"}`), ss(`{"b":"z"}`)},
	{`{ $.a = "\u00e9" }`, ss(`{"a":"\\u00e9"}`), ss(`{"a":"é"}`)},
	{`{ $.a = "é" }`, ss(`{"a":"é"}`, `{"a":"\u00e9"}`), ss(`{"a":"e"}`)},
	{`{ $.a = "😀" }`, ss(`{"a":"\ud83d\ude00"}`), ss(`{"a":"\ud83d"}`)},
	{`{ $.a = -1 }`, ss(`{"a":-1}`, `{"a":-1.0}`), ss(`{"a":1}`)},
	{`{ $.a = 12345678901234567890 }`, ss(`{"a":12345678901234567890}`), ss(`{"a":1}`)},

	// Space-delimited, Apache log examples.
	{"[ip, user, username, timestamp, request, status_code, bytes]", ss(A1, A2, A3, A4), ss(L1)},
	{"[ip, user, username, timestamp, request, status_code, bytes > 1000]", ss(A1, A2, A3, A4), ss(strings.Replace(A1, "1534", "999", 1))},
	{"[ip, user, username, timestamp, request, status_code = 200, bytes]", ss(A1, A3), ss(A2, A4)},
	{"[ip, user, username, timestamp, request, status_code = 4*, bytes]", ss(A4), ss(A1, A2, A3)},
	{"[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]", ss(A4), ss(A1, A2, A3)},
	{"[..., status_code, bytes]", ss(A1, A2, A3, A4, "a b"), ss("x")},
	{"[ip, user, ..., status_code, bytes]", ss(A1, A2, A3, A4, "a b c d"), ss("a b c")},
	{"[ip, user, ...]", ss(A1, A2, A3, A4, "a b"), ss("a")},
	{`[ip=%127\.0\.0\.[1-9]%, user, username, timestamp, request =*.html*, status_code = 4*, bytes]`, ss(A4), ss(A1, A2, A3, strings.Replace(A4, "127.0.0.1", "127.0.0.0", 1))},
	{"[..., request =*.html*, status_code = 4*, bytes]", ss(A4), ss(A1, A2, A3)},
	{"[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]", ss(A4, strings.Replace(A4, "404", "410", 1)), ss(strings.Replace(A4, "404", "403", 1), A1)},
	{"[..., request=*.html*, status_code=4*,]", ss(A4), ss(A1)}, // old page: the trailing empty slot is field 7
	{`[ip, user, username, timestamp = "10/Oct/2000*", ...]`, ss(A1, A4), ss(L1)},
	{`[ip, user, username, timestamp, request = "GET /index.html HTTP/1.0", ...]`, ss(A4), ss(A1)},
	{"[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]", ss(A4), ss(strings.Replace(A4, "404", "403", 1))},

	// Space-delimited, application log examples.
	{"[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]", ss(L1), ss(L2)},
	{"[logLevel, date, time, method, url=%/service/resource/[0-9]+/part/[0-9]+$%, response_time]", ss(L2), ss(L1)},
	{"[w1=ERROR, w2]", ss(W2), ss(W1, W3, L4)}, // exact arity: L4 has 7 fields
	{"[w1=ERROR, ...]", ss(W1, W2, L4), ss(W3, L3)},
	{"[w1=ERROR || w1=WARNING, w2]", ss(W2, "WARNING message"), ss("INFO message", W3, W1)},
	{"[w1!=ERROR && w1!=WARNING, w2]", ss("INFO message", W3), ss(W2, "WARNING message", "INFO two words")},
	{"[a, ..., b = x, ..., c]", ss("1 x 2", "1 2 x 3 4", "1 x x 4"), ss("1 2 3", "x 2", "1 x")},
	{"[..., a = 1, ...]", ss("1", "2 1 3"), ss("2 3", "")},
	{"[...]", ss("", "a b c"), nil},
	{"[a]", ss("one", "  one\n"), ss("one two", "")},
	{"[ERROR]", ss("anything"), ss("ERROR here")}, // a one-field pattern, not a term
	{"[a, b = -]", ss("x -"), ss("x y")},
	{"[a = 1.5, b > -2]", ss("1.50 -1", "1.5 0"), ss("1.5 -2", "abc 0")},
	{`[a, b, c]`, ss(`x "y z" [w v]`, `x y" "z v`), ss(`x "y z [w v`)},
	{`[a = "y z"]`, ss(`"y z"`), ss(`y`)},
	{"[a = *html*]", ss("x.html?y", "html"), ss("htm")},
	{"[a = %b%, c = %d%]", ss("abc xdx"), ss("abc x")},
	{"[a, ,b]", ss("1 2 3"), ss("1 2")},
}

func TestVectors(t *testing.T) {
	for _, v := range vectors {
		p, err := Parse(v.pattern)
		if err != nil {
			t.Errorf("Parse(%q): %v", v.pattern, err)
			continue
		}
		for _, m := range v.match {
			if !p.Match(m) {
				t.Errorf("Parse(%q).Match(%q) = false, want true", v.pattern, m)
			}
		}
		for _, m := range v.noMatch {
			if p.Match(m) {
				t.Errorf("Parse(%q).Match(%q) = true, want false", v.pattern, m)
			}
		}
	}
}

func TestMatchAll(t *testing.T) {
	for pattern, want := range map[string]bool{
		"":                    true,
		" \t\n":               true,
		`" "`:                 true,
		`?" " ?ERROR`:         true,
		"ERROR":               false,
		`-" "`:                false,
		"?ERROR":              false,
		"%.%":                 false,
		"[a, ...]":            false,
		"{ $.a = * }":         false,
		`?" " -ERROR`:         false,
		`?ERROR " "`:          true, // the plain blank term makes ?ERROR ignored
		`" " "ERROR" -"WARN"`: false,
	} {
		p, err := Parse(pattern)
		if err != nil {
			t.Fatalf("Parse(%q): %v", pattern, err)
		}
		if p.MatchAll() != want {
			t.Errorf("Parse(%q).MatchAll() = %v, want %v", pattern, !want, want)
		}
	}
	var nilPattern *Pattern
	if !nilPattern.MatchAll() || !nilPattern.Match("x") {
		t.Error("a nil *Pattern must match everything")
	}
}

const (
	invalid = "Invalid filter pattern"
	brace   = "If a filter pattern starts with '{' it must end with '}'"
)

func chars(term string) string { return "Invalid character(s) in term '" + term + "'" }

var rejections = []struct{ pattern, msg string }{
	// Observed on AWS.
	{"email@domain.com", invalid},
	{"/", invalid},
	{"ERROR /api", invalid},
	{"{ $.a = 1", brace},
	{"{", brace},
	{"{ $.a = 1 } x", brace},
	{"?Status: timeout", chars(":")},
	{"PlayerSpawnedInWorld (reason: JoinMultiplayer", chars("(")},
	{`level\":\"error`, chars(`\`)},
	{"`ERROR`", chars("`")},
	{"“ERROR”", chars("“")},
	{`{ $."sc-status" = 5* }`, chars(`$."`)},
	{`{ $.message = "error-response", $.path = "/authenticate" }`, chars(",")},
	{"[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]", invalid},
	{"%something!%", chars("%something!")},
	{`%\(abc\)%`, chars(`%\(`)},
	{"%(abc)%", chars("%(")},
	{"%é%", chars("%é")},
	{`{ $.a = %x(% }`, chars("%x(")},
	{`[a = %x)%]`, chars("%x)")},
	{"%a%b%", chars("%a%")},

	// Term patterns.
	{"-", invalid},
	{"?", invalid},
	{"ERROR -", invalid},
	{"--ERROR", invalid},
	{"?-ERROR", invalid},
	{`"unterminated`, invalid},
	{`ERROR "x`, invalid},
	{"a.b", invalid},
	{"a*", invalid},
	{"x=1", invalid},
	{"%foo% bar", invalid},
	{"%", invalid},
	{"ERROR %x%", invalid},
	{"a,b", chars(",")},
	{"a]", chars("]")},
	{"ERROR {x}", chars("{")},
	{"'ERROR'", chars("'")},
	{"a\x00", chars("\x00")},

	// Regex patterns.
	{"%%", invalid},
	{"%[%", invalid},
	{"%a{1001}%", invalid},
	{"%a\tb%", chars("%a\t")},

	// JSON patterns.
	{"{}", invalid},
	{"{ }", invalid},
	{"{ $.a }", invalid},
	{"{ $.a = }", invalid},
	{"{ $.a = 1 2 }", invalid},
	{"{ $ = 1 }", invalid},
	{"{ $a = 1 }", chars("$a")},
	{"{ $. = 1 }", invalid},
	{"{ $.a. = 1 }", invalid},
	{"{ $.a.@b = 1 }", chars("$.a.@")},
	{"{ $.a[x] = 1 }", chars("$.a[x")},
	{"{ $.a[1 = 1 }", invalid},
	{"{ $.a[*x] = 1 }", chars("$.a[*x")},
	{"{ $[0] = 1 }", invalid},
	{"{ $.['a] = 1 }", invalid},
	{"{ $.[a] = 1 }", chars("$.[a")},
	{"{ $.a[99999999999] = 1 }", invalid},
	{"{ a = 1 }", invalid},
	{"{ 1 = $.a }", invalid},
	{"{ $.a == 1 }", invalid},
	{"{ $.a = 1 && }", invalid},
	{"{ $.a = 1 & $.b = 2 }", invalid},
	{"{ $.a = 1 | $.b = 2 }", invalid},
	{"{ ($.a = 1 }", invalid},
	{"{ $.a = 1) }", invalid},
	{"{ () }", invalid},
	{"{ " + strings.Repeat("(", 101) + "$.a = 1" + strings.Repeat(")", 101) + " }", invalid},
	{"{ $.a IS NOT NULL }", invalid},
	{"{ $.a IS null }", invalid},
	{"{ $.a IS }", invalid},
	{"{ $.a EXISTS }", invalid},
	{"{ $.a NOT NULL }", invalid},
	{"{ $.a NOT }", invalid},
	{"{ $.a > abc }", invalid},
	{`{ $.a > "5" }`, invalid},
	{"{ $.a < %5% }", invalid},
	{"{ $.a >= 1* }", invalid},
	{"{ $.a = @x }", invalid},
	{"{ $.a = x/y }", invalid},
	{`{ $.a = "x }`, invalid},
	{"{ $.a[*].b[*] = 1 }", invalid},
	{"{ $.*.* = 1 }", invalid},
	{"{ $.a[*] = 1 && $.b[*] = 1 && $.c[*] = 1 && $.d[*] = 1 }", invalid},
	{"{ $.a = %x% || $.b = %y% || $.c = %z% }", invalid},
	{"{ $.a = 1 } }", chars("}")},
	{"{ { $.a = 1 } }", chars("{")},

	// Space-delimited patterns.
	{"[", invalid},
	{"[]", invalid},
	{"[ ]", invalid},
	{"[a", invalid},
	{"[a] x", invalid},
	{"[a b]", invalid},
	{"[a.b]", invalid},
	{"[a =]", invalid},
	{"[= 1]", invalid},
	{"[a = 1 b]", invalid},
	{"[a > x]", invalid},
	{"[(a = 1)]", invalid},
	{"[a = 1 && b = 2]", invalid},
	{"[a = 1 || b = 2]", invalid},
	{"[... = 1]", invalid},
	{"[a &&]", invalid},
	{"[$.a = 1]", invalid},
	{"[a = x; y]", invalid},
	{"[a = %x%, b = %y%, c = %z%]", invalid},
	{"[a = %x% || a = %y% || a = %z%]", invalid},
	{"[a:b]", chars(":")},
}

func TestRejections(t *testing.T) {
	for _, r := range rejections {
		p, err := Parse(r.pattern)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want error %q", r.pattern, p, r.msg)
			continue
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) error %T, want *Error", r.pattern, err)
			continue
		}
		if e.Error() != r.msg {
			t.Errorf("Parse(%q) = %q, want %q", r.pattern, e.Error(), r.msg)
		}
	}
}

// TestLimitsAccepted checks that patterns right at AWS's limits compile.
func TestLimitsAccepted(t *testing.T) {
	for _, pattern := range []string{
		"{ $.a[*] = 1 && $.b[*] = 1 && $.c.* = 1 }",
		"{ $.a = %x% || $.b = %y% }",
		"[a = %x%, b = %y%]",
		"%" + strings.Repeat("a", 1000) + "%",
		`{ $.a.b.c.d[0][1].e = "x" }`,
		"{ $.a = 1 }   ",
		"\n[a, b]\n",
		"{ " + strings.Repeat("(", 100) + "$.a = 1" + strings.Repeat(")", 100) + " }",
	} {
		if _, err := Parse(pattern); err != nil {
			t.Errorf("Parse(%q): %v", pattern, err)
		}
	}
}

func TestJSONNesting(t *testing.T) {
	p, err := Parse("{ $.a NOT EXISTS }")
	if err != nil {
		t.Fatal(err)
	}
	deep := func(n int) string {
		return `{"b":` + strings.Repeat("[", n) + strings.Repeat("]", n) + "}"
	}
	if !p.Match(deep(maxNesting - 2)) {
		t.Error("nesting below the limit must still be JSON")
	}
	if p.Match(deep(maxNesting + 5)) {
		t.Error("nesting past the limit must not count as JSON")
	}
}

func TestSplitFields(t *testing.T) {
	got, ok := splitFields(A1, nil, -1)
	want := []string{"127.0.0.1", "-", "frank", "10/Oct/2000:13:25:15 -0700", "GET /apache_pb.gif HTTP/1.0", "200", "1534"}
	if !ok || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("splitFields(A1) = %q, want %q", got, want)
	}
	if _, ok := splitFields("a b c", nil, 2); ok {
		t.Error("splitFields past its limit must report false")
	}
	got, _ = splitFields(`"unclosed [x y`, nil, -1)
	if strings.Join(got, "|") != `"unclosed|[x|y` {
		t.Errorf("unclosed quote/bracket: %q", got)
	}
}

func TestConcurrentMatch(t *testing.T) {
	p, err := Parse(`{ $.objectList[*].id = 2 && $.eventType = %Trail% }`)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan bool)
	for range 8 {
		go func() {
			ok := true
			for range 200 {
				ok = ok && p.Match(J1) && !p.Match(J2)
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Error("concurrent Match disagreed")
		}
	}
}
