"""boto3 against a running cwlogd, compared with answers recorded against real AWS.

The recordings are LocalStack's snapshot files (../shared/spec/recorded,
relative to the repository; override with CWLOGD_RECORDED). For every test
that a `*.validation.json` lists as validated against AWS, a method of the
same name below performs the calls LocalStack's test performs and compares
each response with the test's `recorded-content` entry of the same name.
Validated tests that recorded nothing keep LocalStack's own assertions.

Run with CWLOGD_ENDPOINT=http://127.0.0.1:PORT python3 -m unittest tests/boto3/test_recorded.py

Comparison rules (see `Snapshot.match`):

* dicts must have the same keys at every level; of ResponseMetadata only
  HTTPStatusCode is compared (an error's Code and Message sit in "Error");
* lists must have the same length and match element by element, in order;
* a recorded dict or list matched against a string parses the string as
  JSON first (LocalStack's snapshot does the same before recording, so
  policy documents were recorded as objects);
* every other value must be equal (booleans are not numbers), unless the
  recorded value is a mask. A recorded string is a mask when
    - it is one placeholder "<...>" as a whole (what LocalStack's regex and
      key_value transformers write, e.g. "<next_token>", "<key-id>",
      "<log-group-name:1>"),
    - it is the key's own name in hyphen case, e.g. "last-updated-time"
      under lastUpdatedTime or "too-old-log-event-end-index" under
      tooOldLogEventEndIndex (what key_value(key) writes when given no
      replacement), or
    - it is "timestamp" and the actual value is a number (localstack_snapshot's
      default timestamp transformer);
  a placeholder may also sit inside a string, e.g.
  "arn:<partition>:logs:<region>:111111111111:log-group:<log-group-name:1>:*";
* placeholders the test knows are replaced by our values before comparing:
  "<partition>" is aws, "<region>" us-east-1, and each test maps the names
  LocalStack's transformers replaced (log group, stream, policy, bucket,
  destination names) to the ones it created. The recorded account id is
  LocalStack's masked 111111111111, which is the account these tests use.
  A numbered placeholder "<name:N>" the test does not map stands for one
  value throughout the test: the first occurrence binds it, later ones must
  be equal. Any other unmapped placeholder accepts any non-null value.
"""

import functools
import json
import os
import re
import sys
import time
import unittest
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_delivery import ACCOUNT, ENDPOINT, client  # noqa: E402

REGION = "us-east-1"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RECORDED = os.environ.get("CWLOGD_RECORDED", os.path.join(REPO, "..", "shared", "spec", "recorded"))
LS_PATH = "tests/aws/services/logs/"
MODULES = [
    "test_logs_events",
    "test_logs_filter_events",
    "test_logs_groups",
    "test_logs_resource_policies",
    "test_logs_streams",
    "test_logs_delivery",
]

_cache = {}


def _load(name):
    if name not in _cache:
        path = os.path.join(RECORDED, name)
        if not os.path.exists(path):
            raise unittest.SkipTest("recorded AWS responses not found: %s" % path)
        with open(path) as f:
            _cache[name] = json.load(f)
    return _cache[name]


def short_uid():
    return uuid.uuid4().hex[:8]


def now_ms():
    return int(time.time() * 1000)


# ---------------------------------------------------------------- comparator

PLACEHOLDER = re.compile(r"<[^<>]+>")
NUMBERED = re.compile(r"<[^<>:]+:\d+>")


def hyphen_case(key):
    return "".join("-" + c.lower() if c.isupper() else c for c in key).strip("-")


class Snapshot:
    """The recorded-content of one LocalStack test and the placeholders bound so far."""

    def __init__(self, test_id, content, mapping):
        self.test_id = test_id
        self.content = content
        self.bindings = {"<partition>": "aws", "<region>": REGION}
        self.bindings.update(mapping)
        self.matched = set()

    def match(self, key, actual):
        if key not in self.content:
            raise AssertionError("%s recorded no %r" % (self.test_id, key))
        self.matched.add(key)
        diffs = []
        self._compare(self.content[key], actual, key, None, diffs)
        if diffs:
            raise AssertionError(
                "%s / %s differs from the AWS recording:\n  %s\nactual: %s"
                % (self.test_id, key, "\n  ".join(diffs), json.dumps(_plain(actual), default=str)))

    def unmatched(self):
        return sorted(set(self.content) - self.matched)

    def _compare(self, rec, act, path, key, diffs):
        if isinstance(rec, str) and self._is_mask(rec, act, key):
            self._compare_mask(rec, act, path, diffs)
        elif isinstance(rec, str) and PLACEHOLDER.search(rec):
            self._compare_template(rec, act, path, diffs)
        elif isinstance(rec, (dict, list)) and isinstance(act, str):
            try:
                parsed = json.loads(act)
            except ValueError:
                parsed = None
            if not isinstance(parsed, type(rec)):
                diffs.append("%s: recorded %s, got the string %r"
                             % (path, "an object" if isinstance(rec, dict) else "a list", act))
                return
            self._compare(rec, parsed, path, key, diffs)
        elif isinstance(rec, dict):
            if not isinstance(act, dict):
                diffs.append("%s: recorded an object, got %r" % (path, act))
                return
            if "ResponseMetadata" in rec:
                want = rec["ResponseMetadata"].get("HTTPStatusCode")
                got = act.get("ResponseMetadata", {}).get("HTTPStatusCode")
                if want != got:
                    diffs.append("%s.ResponseMetadata.HTTPStatusCode: recorded %r, got %r" % (path, want, got))
            rk = set(rec) - {"ResponseMetadata"}
            ak = set(act) - {"ResponseMetadata"}
            for k in sorted(rk - ak):
                diffs.append("%s.%s: recorded %s, missing" % (path, k, json.dumps(rec[k])))
            for k in sorted(ak - rk):
                diffs.append("%s.%s: not recorded, got %s" % (path, k, json.dumps(_plain(act[k]), default=str)))
            for k in sorted(rk & ak):
                self._compare(rec[k], act[k], "%s.%s" % (path, k), k, diffs)
        elif isinstance(rec, list):
            if not isinstance(act, list):
                diffs.append("%s: recorded a list, got %r" % (path, act))
                return
            if len(rec) != len(act):
                diffs.append("%s: recorded %d items, got %d" % (path, len(rec), len(act)))
            for i, (r, a) in enumerate(zip(rec, act)):
                self._compare(r, a, "%s[%d]" % (path, i), key, diffs)
        elif type(rec) is not type(act) and not (
                isinstance(rec, (int, float)) and isinstance(act, (int, float))
                and not isinstance(rec, bool) and not isinstance(act, bool)):
            diffs.append("%s: recorded %r, got %r" % (path, rec, _plain(act)))
        elif rec != act:
            diffs.append("%s: recorded %r, got %r" % (path, rec, act))

    @staticmethod
    def _is_mask(rec, act, key):
        if PLACEHOLDER.fullmatch(rec):
            return True
        if key is not None and rec == hyphen_case(key):
            return True
        return rec == "timestamp" and isinstance(act, (int, float)) and not isinstance(act, bool)

    def _compare_mask(self, rec, act, path, diffs):
        if act is None or isinstance(act, (dict, list)):
            diffs.append("%s: recorded the masked scalar %r, got %r" % (path, rec, _plain(act)))
        elif rec in self.bindings:
            if act != self.bindings[rec]:
                diffs.append("%s: recorded %s = %r, got %r" % (path, rec, self.bindings[rec], act))
        elif NUMBERED.fullmatch(rec):
            self.bindings[rec] = act

    def _compare_template(self, rec, act, path, diffs):
        if not isinstance(act, str):
            diffs.append("%s: recorded %r, got %r" % (path, rec, act))
            return
        parts, groups, pos = [], [], 0
        for m in PLACEHOLDER.finditer(rec):
            parts.append(re.escape(rec[pos:m.start()]))
            ph = m.group(0)
            if ph in self.bindings:
                parts.append(re.escape(str(self.bindings[ph])))
            else:
                parts.append("(.+?)")
                groups.append(ph)
            pos = m.end()
        parts.append(re.escape(rec[pos:]))
        m = re.fullmatch("".join(parts), act)
        if not m:
            shown = PLACEHOLDER.sub(lambda p: str(self.bindings.get(p.group(0), p.group(0))), rec)
            diffs.append("%s: recorded %r, got %r" % (path, shown, act))
            return
        for ph, val in zip(groups, m.groups()):
            if NUMBERED.fullmatch(ph):
                if ph in self.bindings and self.bindings[ph] != val:
                    diffs.append("%s: %s is %r here, %r before" % (path, ph, val, self.bindings[ph]))
                self.bindings[ph] = val


def _plain(v):
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items() if k != "ResponseMetadata"}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def recorded(fn):
    """Runs one recorded test; afterwards every recorded key must have been matched."""

    @functools.wraps(fn)
    def run(self):
        fn(self)
        snap = getattr(self, "_snap", None)
        left = snap.unmatched() if snap else sorted(self._content())
        if left:
            self.fail("%s: recorded %s never compared" % (self._test_id(), left))

    return run


class RecordedTest(unittest.TestCase):
    MODULE = None  # LocalStack module the class mirrors; the class name is LocalStack's.

    def setUp(self):
        _load(self.MODULE + ".validation.json")
        req = urllib.request.Request(ENDPOINT + "/_cwlogd/reset", method="POST", data=b"")
        urllib.request.urlopen(req).read()
        self.logs = client()

    def _test_id(self):
        return "%s%s.py::%s::%s" % (LS_PATH, self.MODULE, type(self).__name__, self._testMethodName)

    def _content(self):
        entry = _load(self.MODULE + ".snapshot.json").get(self._test_id())
        return entry["recorded-content"] if entry else {}

    def snapshot(self, **mapping):
        """Starts comparing; mapping binds placeholders ("<bucket>") to our values."""
        self._snap = Snapshot(self._test_id(), self._content(),
                              {"<%s>" % k.replace("_", "-"): v for k, v in mapping.items()})
        return self._snap

    def bind(self, placeholder, value):
        self._snap.bindings[placeholder] = value

    def error(self, fn, **kwargs):
        with self.assertRaises(self.logs.exceptions.ClientError) as cm:
            fn(**kwargs)
        return cm.exception.response

    # LocalStack's fixtures
    def log_group(self):
        name = "test-log-group-%s" % short_uid()
        self.logs.create_log_group(logGroupName=name)
        return name

    def log_stream(self, group):
        name = "test-log-stream-%s" % short_uid()
        self.logs.create_log_stream(logGroupName=group, logStreamName=name)
        return name

    def group_arn(self, name):
        return "arn:aws:logs:%s:%s:log-group:%s" % (REGION, ACCOUNT, name)


def names(items, key):
    return [i[key] for i in items]


# ---------------------------------------------------------------- test_logs_events


class TestLogsEvents(RecordedTest):
    MODULE = "test_logs_events"

    @recorded
    def test_put_log_events_basic(self):
        group = self.log_group()
        stream = self.log_stream(group)
        ts = now_ms()
        resp = self.logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
            {"timestamp": ts, "message": "hello"}, {"timestamp": ts, "message": "world"}])
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        if resp.get("nextSequenceToken"):
            self.assertIsInstance(resp["nextSequenceToken"], str)

    @recorded
    def test_put_events_multi_bytes_msg(self):
        group = self.log_group()
        stream = self.log_stream(group)
        body = "🙀 - 参よ - 日本語"
        resp = self.logs.put_log_events(logGroupName=group, logStreamName=stream,
                                        logEvents=[{"timestamp": now_ms(), "message": body}])
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        events = self.logs.get_log_events(logGroupName=group, logStreamName=stream)["events"]
        self.assertEqual(events[0]["message"], body)

    @recorded
    def test_put_log_events_to_invalid_stream(self):
        group = self.log_group()
        snap = self.snapshot()
        snap.match("error-invalid-stream", self.error(
            self.logs.put_log_events, logGroupName=group, logStreamName="invalid-stream",
            logEvents=[{"timestamp": now_ms(), "message": "test"}]))

    @recorded
    def test_put_log_events_wrong_order(self):
        group = self.log_group()
        stream = self.log_stream(group)
        snap = self.snapshot()
        ts1 = now_ms()
        ts2 = now_ms() - 86400000 * 2
        snap.match("error-wrong-order", self.error(
            self.logs.put_log_events, logGroupName=group, logStreamName=stream,
            logEvents=[{"message": "Message 0", "timestamp": ts1}, {"message": "Message 1", "timestamp": ts2}]))

    @recorded
    def test_put_log_events_too_old(self):
        group = self.log_group()
        stream = self.log_stream(group)
        snap = self.snapshot()
        resp = self.logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
            {"message": "Old message", "timestamp": now_ms() - 86400000 * 30}])
        snap.match("response-too-old", resp)
        # AWS's index is masked in the recording, so only its type is checked:
        # cwlogd answers 1 (the end of the rejected range, exclusive).
        self.assertIsInstance(resp["rejectedLogEventsInfo"]["tooOldLogEventEndIndex"], int)

    @recorded
    def test_put_log_events_too_new(self):
        group = self.log_group()
        stream = self.log_stream(group)
        snap = self.snapshot()
        resp = self.logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
            {"message": "Future message", "timestamp": now_ms() + 86400000}])
        snap.match("response-too-new", resp)
        # Masked in the recording; the first (only) event is the first too new.
        self.assertEqual(resp["rejectedLogEventsInfo"]["tooNewLogEventStartIndex"], 0)

    @recorded
    def test_get_log_events_basic(self):
        group = self.log_group()
        stream = self.log_stream(group)
        ts = now_ms()
        self.logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
            {"timestamp": ts, "message": "message 1"}, {"timestamp": ts + 100, "message": "message 2"}])
        events = self.logs.get_log_events(logGroupName=group, logStreamName=stream)["events"]
        self.assertEqual(names(events, "message"), ["message 1", "message 2"])

    @recorded
    def test_get_log_events_start_from_head(self):
        group = self.log_group()
        stream = self.log_stream(group)
        ts = now_ms()
        self.logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
            {"timestamp": ts + i * 100, "message": "message %d" % i} for i in range(20)])
        events = self.logs.get_log_events(logGroupName=group, logStreamName=stream,
                                          limit=10, startFromHead=True)["events"]
        self.assertEqual(len(events), 10)
        self.assertEqual(events[0]["message"], "message 0")

    @recorded
    def test_get_log_events_invalid_token(self):
        group = self.log_group()
        stream = self.log_stream(group)
        snap = self.snapshot()
        snap.match("error-invalid-token", self.error(
            self.logs.get_log_events, logGroupName=group, logStreamName=stream, nextToken="invalid-token"))

    @recorded
    def test_get_log_events_limit_validation(self):
        group = self.log_group()
        stream = self.log_stream(group)
        snap = self.snapshot()
        snap.match("error-limit-exceeded", self.error(
            self.logs.get_log_events, logGroupName=group, logStreamName=stream, limit=10001))

    @recorded
    def test_get_log_events_using_log_group_identifier(self):
        group = self.log_group()
        stream = self.log_stream(group)
        self.logs.put_log_events(logGroupName=group, logStreamName=stream,
                                 logEvents=[{"timestamp": now_ms(), "message": "test message"}])
        for kwargs in ({"logGroupName": group}, {"logGroupIdentifier": group},
                       {"logGroupIdentifier": self.group_arn(group)}):
            events = self.logs.get_log_events(logStreamName=stream, **kwargs)["events"]
            self.assertGreaterEqual(len(events), 1, kwargs)


class TestLogsEventsErrors(RecordedTest):
    MODULE = "test_logs_events"

    @recorded
    def test_resource_does_not_exist(self):
        group = "log-group-%s" % short_uid()
        stream = "log-stream-%s" % short_uid()
        snap = self.snapshot()
        snap.match("error-log-group-does-not-exist", self.error(
            self.logs.get_log_events, logGroupName=group, logStreamName=stream))
        self.logs.create_log_group(logGroupName=group)
        snap.match("error-log-stream-does-not-exist", self.error(
            self.logs.get_log_events, logGroupName=group, logStreamName=stream))


# ---------------------------------------------------------------- test_logs_filter_events


class TestFilterLogEvents(RecordedTest):
    MODULE = "test_logs_filter_events"

    @recorded
    def test_filter_log_events_basic(self):
        group = self.log_group()
        stream = self.log_stream(group)
        ts = now_ms()
        self.logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
            {"timestamp": ts, "message": "log message 1"}, {"timestamp": ts + 100, "message": "log message 2"}])
        self.assertGreaterEqual(len(self.logs.filter_log_events(logGroupName=group)["events"]), 2)

    @recorded
    def test_filter_log_events_response_header(self):
        group = self.log_group()
        stream = self.log_stream(group)
        self.logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
            {"timestamp": now_ms(), "message": "log message 1"}, {"timestamp": now_ms(), "message": "log message 2"}])
        resp = self.logs.filter_log_events(logGroupName=group)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(resp["ResponseMetadata"]["HTTPHeaders"]["content-type"], "application/x-amz-json-1.1")

    @recorded
    def test_filter_log_events_with_log_stream_names(self):
        group = self.log_group()
        stream = self.log_stream(group)
        self.logs.put_log_events(logGroupName=group, logStreamName=stream,
                                 logEvents=[{"timestamp": now_ms(), "message": "test message"}])
        events = self.logs.filter_log_events(logGroupName=group, logStreamNames=[stream])["events"]
        self.assertGreaterEqual(len(events), 1)

    @recorded
    def test_filter_log_events_interleaved(self):
        group = self.log_group()
        stream = self.log_stream(group)
        ts = now_ms()
        self.logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
            {"timestamp": ts, "message": "hello"}, {"timestamp": ts + 100, "message": "world"}])
        events = self.logs.filter_log_events(logGroupName=group, logStreamNames=[stream], interleaved=True)["events"]
        self.assertGreaterEqual(len(events), 2)
        for e in events:
            self.assertTrue({"eventId", "timestamp", "message"} <= set(e), e)

    @recorded
    def test_filter_log_events_pagination(self):
        group = self.log_group()
        stream = self.log_stream(group)
        ts = now_ms()
        self.logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
            {"timestamp": ts + i * 100, "message": "Message number %d" % i} for i in range(25)])
        first = self.logs.filter_log_events(logGroupName=group, logStreamNames=[stream], limit=20)
        self.assertEqual(len(first["events"]), 20)
        self.assertIn("nextToken", first)
        second = self.logs.filter_log_events(logGroupName=group, logStreamNames=[stream], limit=20,
                                             nextToken=first["nextToken"])
        self.assertEqual(len(first["events"] + second["events"]), 25)

    @recorded
    def test_filter_log_events_unknown_token(self):
        group = self.log_group()
        stream = self.log_stream(group)
        snap = self.snapshot()
        snap.match("invalid-token", self.error(
            self.logs.filter_log_events, logGroupName=group, logStreamNames=[stream], limit=20,
            nextToken="invalid-token"))

    @recorded
    def test_filter_log_events_limit_validation(self):
        group = self.log_group()
        snap = self.snapshot()
        snap.match("error-limit-exceeded", self.error(self.logs.filter_log_events, logGroupName=group, limit=10001))


class TestFilterLogEventsPatterns(RecordedTest):
    MODULE = "test_logs_filter_events"

    def setUp(self):
        super().setUp()
        self.group = self.log_group()
        self.stream = self.log_stream(self.group)
        ts = now_ms()
        msgs = ["hello", "world", "hello world", "goodbye world", "hello cruela", "goodbye cruel world"]
        self.logs.put_log_events(logGroupName=self.group, logStreamName=self.stream, logEvents=[
            {"timestamp": ts + i * 100, "message": m} for i, m in enumerate(msgs)])

    def messages(self, pattern):
        events = self.logs.filter_log_events(logGroupName=self.group, logStreamNames=[self.stream],
                                             filterPattern=pattern)["events"]
        return names(events, "message")

    @recorded
    def test_filter_simple_word_pattern(self):
        msgs = self.messages("hello")
        self.assertTrue({"hello", "hello world", "hello cruela"} & set(msgs), msgs)
        for m in msgs:
            self.assertIn("hello", m)

    @recorded
    def test_filter_multiple_words_pattern(self):
        for m in self.messages("goodbye world"):
            self.assertTrue("goodbye" in m and "world" in m, m)

    @recorded
    def test_filter_quoted_pattern(self):
        for m in self.messages('"hello cruel"'):
            self.assertIn("hello cruel", m)

    @recorded
    def test_filter_json_pattern(self):
        self.assertIsInstance(self.messages('{$.message = "hello"}'), list)


# ---------------------------------------------------------------- test_logs_groups


class TestLogsGroups(RecordedTest):
    MODULE = "test_logs_groups"

    @recorded
    def test_create_and_delete_log_group(self):
        name = "test-log-group-%s" % short_uid()
        self.logs.create_log_group(logGroupName=name)
        groups = self.logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
        self.assertIn(name, names(groups, "logGroupName"))
        self.logs.delete_log_group(logGroupName=name)
        groups = self.logs.describe_log_groups(logGroupNamePrefix=name).get("logGroups", [])
        self.assertNotIn(name, names(groups, "logGroupName"))

    @recorded
    def test_create_log_group_with_kms_key(self):
        # LocalStack creates a KMS key; cwlogd keeps the ARN it is given, so a
        # well-formed key ARN stands in for it.
        name = "test-log-group-kms-%s" % short_uid()
        key_id = str(uuid.uuid4())
        self.logs.create_log_group(logGroupName=name,
                                   kmsKeyId="arn:aws:kms:%s:%s:key/%s" % (REGION, ACCOUNT, key_id))
        snap = self.snapshot(key_id=key_id)
        self.bind("<log-group-name:1>", name)
        resp = self.logs.describe_log_groups(logGroupNamePrefix=name)
        snap.match("describe-log-groups-with-kms", resp)
        self.assertIn("kmsKeyId", resp["logGroups"][0])

    @recorded
    def test_create_log_group_duplicate_error(self):
        name = "test-log-group-%s" % short_uid()
        self.logs.create_log_group(logGroupName=name)
        snap = self.snapshot()
        snap.match("error-duplicate-log-group", self.error(self.logs.create_log_group, logGroupName=name))

    @recorded
    def test_create_log_group_invalid_name_length(self):
        snap = self.snapshot()
        snap.match("error-invalid-name-length", self.error(self.logs.create_log_group, logGroupName="a" * 513))

    @recorded
    def test_describe_log_groups_with_prefix(self):
        prefix = "test-prefix-%s" % short_uid()
        groups = ["%s-group-%d" % (prefix, i) for i in range(3)]
        for g in groups:
            self.logs.create_log_group(logGroupName=g)
        snap = self.snapshot()
        for i, g in enumerate(groups):
            self.bind("<log-group-name:%d>" % (i + 1), g)
        snap.match("describe-log-groups-prefix", self.logs.describe_log_groups(logGroupNamePrefix=prefix))

    # AWS's answer to this pattern search carries a nextToken although its one
    # match is the whole answer; cwlogd answers the same (the next page is
    # empty and ends the search).
    @recorded
    def test_describe_log_groups_with_pattern(self):
        uid = short_uid()
        name = "test-pattern-%s" % uid
        self.logs.create_log_group(logGroupName=name)
        snap = self.snapshot()
        self.bind("<log-group-name:1>", name)
        snap.match("describe-log-groups-pattern", self.logs.describe_log_groups(logGroupNamePattern=uid))

    @recorded
    def test_describe_log_groups_prefix_and_pattern_error(self):
        name = "test-log-group-%s" % short_uid()
        self.logs.create_log_group(logGroupName=name)
        snap = self.snapshot()
        snap.match("error-prefix-and-pattern", self.error(
            self.logs.describe_log_groups, logGroupNamePattern=name, logGroupNamePrefix=name))

    @recorded
    def test_list_log_groups_with_pattern(self):
        uid = short_uid()
        name = "test-list-%s" % uid
        self.logs.create_log_group(logGroupName=name)
        snap = self.snapshot()
        self.bind("<log-group-name:1>", name)
        snap.match("list-log-groups-no-match", self.logs.list_log_groups(logGroupNamePattern="no-such-group"))
        snap.match("list-log-groups-match",
                   self.logs.describe_log_groups(logGroupNamePattern=uid).get("logGroups", []))


class TestLogsGroupsRetention(RecordedTest):
    MODULE = "test_logs_groups"

    @recorded
    def test_put_retention_policy(self):
        name = "test-retention-%s" % short_uid()
        self.logs.create_log_group(logGroupName=name)
        self.logs.put_retention_policy(logGroupName=name, retentionInDays=7)
        group = self.logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"][0]
        self.assertEqual(group.get("retentionInDays"), 7)

    @recorded
    def test_delete_retention_policy(self):
        name = "test-retention-%s" % short_uid()
        self.logs.create_log_group(logGroupName=name)
        self.logs.put_retention_policy(logGroupName=name, retentionInDays=7)
        group = self.logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"][0]
        self.assertEqual(group.get("retentionInDays"), 7)
        self.logs.delete_retention_policy(logGroupName=name)
        group = self.logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"][0]
        self.assertIsNone(group.get("retentionInDays"))


class TestLogsGroupsTags(RecordedTest):
    MODULE = "test_logs_groups"

    @recorded
    def test_create_log_group_with_tags(self):
        name = "test-tags-%s" % short_uid()
        self.logs.create_log_group(logGroupName=name, tags={"env": "testing"})
        snap = self.snapshot()
        resp = self.logs.list_tags_log_group(logGroupName=name)
        snap.match("list-tags-after-create", resp)
        self.assertEqual(resp["tags"], {"env": "testing"})

    @recorded
    def test_tag_log_group(self):
        name = "test-tags-%s" % short_uid()
        self.logs.create_log_group(logGroupName=name)
        snap = self.snapshot()
        self.logs.tag_log_group(logGroupName=name, tags={"tag_key_1": "tag_value_1"})
        snap.match("list-tags-after-tag", self.logs.list_tags_log_group(logGroupName=name))
        self.logs.tag_log_group(logGroupName=name, tags={"tag_key_2": "tag_value_2"})
        self.assertEqual(self.logs.list_tags_log_group(logGroupName=name)["tags"],
                         {"tag_key_1": "tag_value_1", "tag_key_2": "tag_value_2"})
        self.logs.tag_log_group(logGroupName=name, tags={"tag_key_1": "tag_value_XX"})
        self.assertEqual(self.logs.list_tags_log_group(logGroupName=name)["tags"],
                         {"tag_key_1": "tag_value_XX", "tag_key_2": "tag_value_2"})

    @recorded
    def test_untag_log_group(self):
        name = "test-tags-%s" % short_uid()
        self.logs.create_log_group(logGroupName=name)
        snap = self.snapshot()
        tags = {"tag_key_1": "tag_value_1", "tag_key_2": "tag_value_2"}
        self.logs.tag_log_group(logGroupName=name, tags=tags)
        self.assertEqual(self.logs.list_tags_log_group(logGroupName=name)["tags"], tags)
        self.logs.untag_log_group(logGroupName=name, tags=["tag_key_1"])
        resp = self.logs.list_tags_log_group(logGroupName=name)
        snap.match("list-tags-after-untag", resp)
        self.assertEqual(resp["tags"], {"tag_key_2": "tag_value_2"})

    @recorded
    def test_tag_resource_api(self):
        logs = self.logs
        name = "test-tags-%s" % short_uid()
        logs.create_log_group(logGroupName=name, tags={"env": "testing1"})
        snap = self.snapshot()
        snap.match("list-tags-after-create", logs.list_tags_log_group(logGroupName=name))
        # LocalStack strips ":*" from describe's "arn" with rstrip(":*").
        arn = logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"][0]["arn"].rstrip(":*")

        logs.tag_resource(resourceArn=arn, tags={"test1": "val1", "test2": "val2"})
        a = logs.list_tags_log_group(logGroupName=name)
        b = logs.list_tags_for_resource(resourceArn=arn)
        snap.match("list-tags-log-group-after-tag-resource", a)
        snap.match("list-tags-for-resource-after-tag-resource", b)
        self.assertEqual(a["tags"], b["tags"])

        logs.tag_log_group(logGroupName=name, tags={"test3": "val3"})
        a = logs.list_tags_log_group(logGroupName=name)
        b = logs.list_tags_for_resource(resourceArn=arn)
        snap.match("list-tags-log-group-after-tag-log-group", a)
        snap.match("list-tags-for-resource-after-tag-log-group", b)
        self.assertEqual(a["tags"], b["tags"])

        logs.untag_log_group(logGroupName=name, tags=["test3"])
        logs.untag_resource(resourceArn=arn, tagKeys=["env", "test1"])
        a = logs.list_tags_log_group(logGroupName=name)
        b = logs.list_tags_for_resource(resourceArn=arn)
        snap.match("list-tags-log-group-after-untag", a)
        snap.match("list-tags-for-resource-after-untag", b)
        self.assertEqual(a["tags"], b["tags"])


# ---------------------------------------------------------------- test_logs_resource_policies

JSON_POLICY_DOC = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Sid": "Route53LogsToCloudWatchLogs",
        "Effect": "Allow",
        "Principal": {"Service": ["route53.amazonaws.com"]},
        "Action": "logs:PutLogEvents",
        "Resource": "log_arn",
    }],
})
MAX_RESOURCE_POLICIES_PER_REGION = 10


class TestResourcePolicies(RecordedTest):
    MODULE = "test_logs_resource_policies"

    @recorded
    def test_put_resource_policy(self):
        group = "test-log-group-%s" % short_uid()
        policy_name = "test-policy-%s" % short_uid()
        self.logs.create_log_group(logGroupName=group)
        group_arn = self.logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]["arn"]
        doc = json.dumps({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "Route53LogsToCloudWatchLogs",
                "Effect": "Allow",
                "Principal": {"Service": ["route53.amazonaws.com"]},
                "Action": "logs:PutLogEvents",
                "Resource": group_arn,
            }],
        })
        resp = self.logs.put_resource_policy(policyName=policy_name, policyDocument=doc)
        # LocalStack's regex transformer took the ARN ("...:log-group:NAME:*")
        # as a pattern, so ":*" matched the ":" alone and the "*" was left:
        # "<log-group-arn>*" stands for the ARN without its "*".
        snap = self.snapshot(log_group_arn=group_arn[:-1])
        self.bind("<policy-name:1>", policy_name)
        snap.match("put-resource-policy", resp)

    # AWS stores a resource policy normalised: the document put without a
    # "Version" and with Principal.Service ["route53.amazonaws.com"] is
    # described with "Version": "2008-10-17" and the string
    # "route53.amazonaws.com" (PutResourcePolicy's own answer, in
    # test_put_resource_policy, echoes the list).
    @recorded
    def test_put_resource_policy_update(self):
        logs = self.logs
        policy_name = "test-policy-%s" % short_uid()
        logs.put_resource_policy(policyName=policy_name, policyDocument=JSON_POLICY_DOC)
        policies = [p for p in logs.describe_resource_policies()["resourcePolicies"] if p["policyName"] == policy_name]
        self.assertEqual(len(policies), 1)
        created = policies[0]["lastUpdatedTime"]
        # AWS's clock moves between the two calls; cwlogd answers within the
        # same millisecond, so wait one.
        time.sleep(0.002)
        new_document = ('{"Statement":[{"Action":"logs:*","Effect":"Allow",'
                        '"Principal":{"Service": ["route53.amazonaws.com"]},"Resource":"*"}]}')
        logs.put_resource_policy(policyName=policy_name, policyDocument=new_document)
        policies = [p for p in logs.describe_resource_policies()["resourcePolicies"] if p["policyName"] == policy_name]
        self.assertNotEqual(created, policies[0]["lastUpdatedTime"])
        snap = self.snapshot()
        self.bind("<policy-name:1>", policy_name)
        snap.match("updated-policy", policies[0])

    @recorded
    def test_describe_resource_policies(self):
        prefix = "test-policy-%s" % short_uid()
        for i in range(3):
            self.logs.put_resource_policy(policyName="%s-%d" % (prefix, i), policyDocument=JSON_POLICY_DOC)
        snap = self.snapshot()
        for i in range(3):
            self.bind("<policy-name:%d>" % (i + 1), "%s-%d" % (prefix, i))
        resp = self.logs.describe_resource_policies()
        snap.match("describe-resource-policies", resp)
        snap.match("policies", [p for p in resp["resourcePolicies"] if p["policyName"].startswith(prefix)])

    @recorded
    def test_delete_resource_policy(self):
        policy_name = "test-policy-%s" % short_uid()
        self.logs.put_resource_policy(policyName=policy_name, policyDocument=JSON_POLICY_DOC)
        self.assertIn(policy_name, names(self.logs.describe_resource_policies()["resourcePolicies"], "policyName"))
        self.logs.delete_resource_policy(policyName=policy_name)
        self.assertNotIn(policy_name, names(self.logs.describe_resource_policies()["resourcePolicies"], "policyName"))

    @recorded
    def test_delete_resource_policy_not_found(self):
        snap = self.snapshot()
        snap.match("error-policy-not-found", self.error(self.logs.delete_resource_policy, policyName="non-existent"))


class TestResourcePoliciesLimits(RecordedTest):
    MODULE = "test_logs_resource_policies"

    @recorded
    def test_put_resource_policy_limit_exceeded(self):
        prefix = "test-policy-limit-%s" % short_uid()
        for i in range(MAX_RESOURCE_POLICIES_PER_REGION):
            self.logs.put_resource_policy(policyName="%s-%d" % (prefix, i), policyDocument=JSON_POLICY_DOC)
        snap = self.snapshot()
        snap.match("error-limit-exceeded", self.error(
            self.logs.put_resource_policy, policyName=prefix + "-too-many", policyDocument=JSON_POLICY_DOC))

    @recorded
    def test_put_resource_policy_update_existing_when_at_limit(self):
        prefix = "test-policy-limit-%s" % short_uid()
        for i in range(MAX_RESOURCE_POLICIES_PER_REGION):
            self.logs.put_resource_policy(policyName="%s-%d" % (prefix, i), policyDocument=JSON_POLICY_DOC)
        new_document = ('{"Statement":[{"Action":"logs:*","Effect":"Allow",'
                        '"Principal":{"Service":"logs.amazonaws.com"},"Resource":"*"}]}')
        resp = self.logs.put_resource_policy(policyName=prefix + "-1", policyDocument=new_document)
        self.assertEqual(resp["resourcePolicy"]["policyDocument"], new_document)


# ---------------------------------------------------------------- test_logs_streams


class TestLogsStreams(RecordedTest):
    MODULE = "test_logs_streams"

    @recorded
    def test_create_and_delete_log_stream(self):
        group = self.log_group()
        stream = "test-log-stream-%s" % short_uid()
        self.logs.create_log_stream(logGroupName=group, logStreamName=stream)
        snap = self.snapshot(log_group=group)
        self.bind("<log-stream-name:1>", stream)
        resp = self.logs.describe_log_streams(logGroupName=group)
        snap.match("describe-log-streams-after-create", resp)
        self.logs.delete_log_stream(logGroupName=group, logStreamName=stream)
        resp = self.logs.describe_log_streams(logGroupName=group)
        self.assertNotIn(stream, names(resp.get("logStreams", []), "logStreamName"))

    @recorded
    def test_create_log_stream_duplicate_error(self):
        group = self.log_group()
        stream = "test-log-stream-%s" % short_uid()
        self.logs.create_log_stream(logGroupName=group, logStreamName=stream)
        snap = self.snapshot()
        snap.match("error-duplicate-log-stream", self.error(
            self.logs.create_log_stream, logGroupName=group, logStreamName=stream))

    @recorded
    def test_describe_log_streams_with_log_group_identifier(self):
        group = self.log_group()
        snap = self.snapshot(log_group=group)
        stream = "test-log-stream-%s" % short_uid()
        self.logs.create_log_stream(logGroupName=group, logStreamName=stream)
        self.bind("<log-stream-name:1>", stream)
        snap.match("describe-streams-identifier-name", self.logs.describe_log_streams(logGroupIdentifier=group))
        snap.match("describe-streams-identifier-arn",
                   self.logs.describe_log_streams(logGroupIdentifier=self.group_arn(group)))
        snap.match("error-both-name-and-identifier", self.error(
            self.logs.describe_log_streams, logGroupName=group, logGroupIdentifier=group))

    @recorded
    def test_describe_log_streams_with_prefix(self):
        group = self.log_group()
        snap = self.snapshot(log_group=group)
        prefix = "test-prefix-%s" % short_uid()
        streams = ["%s-stream-%d" % (prefix, i) for i in range(3)]
        for i, s in enumerate(streams):
            self.logs.create_log_stream(logGroupName=group, logStreamName=s)
            self.bind("<log-stream-name:%d>" % (i + 1), s)
        snap.match("describe-streams-with-prefix",
                   self.logs.describe_log_streams(logGroupName=group, logStreamNamePrefix=prefix))

    @recorded
    def test_log_stream_arn_format(self):
        group = self.log_group()
        snap = self.snapshot(log_group=group)
        stream = "test-arn-%s" % short_uid()
        self.logs.create_log_stream(logGroupName=group, logStreamName=stream)
        self.bind("<log-stream-name:1>", stream)
        resp = self.logs.describe_log_streams(logGroupName=group)
        snap.match("describe-log-streams-with-arn", resp)
        self.assertEqual(resp["logStreams"][0]["arn"],
                         "arn:aws:logs:%s:%s:log-group:%s:log-stream:%s" % (REGION, ACCOUNT, group, stream))


# ---------------------------------------------------------------- test_logs_delivery


def destination_policy():
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "AllowLogDeliveryActions",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT},
            "Action": "logs:CreateDelivery",
            "Resource": [
                "arn:aws:logs:%s:%s:delivery-source:*" % (REGION, ACCOUNT),
                "arn:aws:logs:%s:%s:delivery:*" % (REGION, ACCOUNT),
                "arn:aws:logs:%s:%s:delivery-destination:*" % (REGION, ACCOUNT),
            ],
        }],
    })


class DeliveryTestCase(RecordedTest):
    MODULE = "test_logs_delivery"

    def setUp(self):
        super().setUp()
        # LocalStack's s3_bucket fixture; cwlogd does not look the bucket up.
        self.bucket = "test-bucket-%s" % short_uid()

    def put_destination(self, name, bucket=None, **kwargs):
        return self.logs.put_delivery_destination(
            name=name,
            deliveryDestinationConfiguration={"destinationResourceArn": "arn:aws:s3:::%s" % (bucket or self.bucket)},
            **kwargs)


class TestDeliveryDestinations(DeliveryTestCase):
    @recorded
    def test_put_delivery_destination(self):
        name = "test-dd-%s" % short_uid()
        resp = self.put_destination(name, outputFormat="json", tags={"key1": "value1"})
        snap = self.snapshot(destination_name=name, bucket=self.bucket)
        snap.match("put-delivery-destination", resp)

    @recorded
    def test_put_delivery_destination_invalid_format(self):
        snap = self.snapshot()
        snap.match("error-invalid-format", self.error(
            self.put_destination, name="test-dd-%s" % short_uid(), outputFormat="foobar"))

    @recorded
    def test_put_delivery_destination_update(self):
        name = "test-dd-%s" % short_uid()
        second = "test-bucket-%s" % short_uid()
        snap = self.snapshot(destination_name=name, second_bucket=second)
        self.put_destination(name)
        snap.match("put-delivery-destination-update", self.put_destination(name, bucket=second))

    @recorded
    def test_get_delivery_destination(self):
        name = "test-dd-%s" % short_uid()
        snap = self.snapshot(destination_name=name, bucket=self.bucket)
        self.put_destination(name)
        resp = self.logs.get_delivery_destination(name=name)
        snap.match("get-delivery-destination", resp)
        self.assertEqual(resp["deliveryDestination"]["name"], name)

    @recorded
    def test_get_delivery_destination_not_found(self):
        snap = self.snapshot()
        snap.match("error-not-found", self.error(self.logs.get_delivery_destination, name="foobar"))

    @recorded
    def test_describe_delivery_destinations(self):
        # AWS listed <destination-0> first. LocalStack's names differ by a
        # fresh random uid each, so whether AWS orders by name or by creation
        # is not recorded; one uid for both makes the two orders agree.
        uid = short_uid()
        dests = ["test-dd-%s-%d" % (uid, i) for i in range(2)]
        for d in dests:
            self.put_destination(d)
        snap = self.snapshot(bucket=self.bucket, destination_0=dests[0], destination_1=dests[1])
        resp = self.logs.describe_delivery_destinations()
        snap.match("describe-delivery-destinations",
                   [d for d in resp["deliveryDestinations"] if d["name"] in dests])

    @recorded
    def test_delete_delivery_destination(self):
        name = "test-dd-%s" % short_uid()
        self.put_destination(name)
        self.logs.delete_delivery_destination(name=name)
        snap = self.snapshot()
        snap.match("error-after-delete", self.error(self.logs.get_delivery_destination, name=name))

    @recorded
    def test_delete_delivery_destination_not_found(self):
        snap = self.snapshot()
        snap.match("error-not-found", self.error(self.logs.delete_delivery_destination, name="foobar"))


class TestDeliveryDestinationPolicies(DeliveryTestCase):
    @recorded
    def test_put_delivery_destination_policy(self):
        name = "test-dd-%s" % short_uid()
        snap = self.snapshot(bucket=self.bucket)
        self.put_destination(name)
        snap.match("put-delivery-destination-policy", self.logs.put_delivery_destination_policy(
            deliveryDestinationName=name, deliveryDestinationPolicy=destination_policy()))

    @recorded
    def test_get_delivery_destination_policy(self):
        name = "test-dd-%s" % short_uid()
        snap = self.snapshot()
        self.put_destination(name)
        self.logs.put_delivery_destination_policy(deliveryDestinationName=name,
                                                  deliveryDestinationPolicy=destination_policy())
        snap.match("get-delivery-destination-policy",
                   self.logs.get_delivery_destination_policy(deliveryDestinationName=name))

    @recorded
    def test_delete_delivery_destination_policy(self):
        name = "test-dd-%s" % short_uid()
        self.put_destination(name)
        self.logs.put_delivery_destination_policy(deliveryDestinationName=name,
                                                  deliveryDestinationPolicy=destination_policy())
        self.logs.delete_delivery_destination_policy(deliveryDestinationName=name)
        resp = self.logs.get_delivery_destination_policy(deliveryDestinationName=name)
        self.assertEqual(resp["policy"], {})


class TestDeliverySources(DeliveryTestCase):
    @recorded
    def test_put_delivery_source_invalid_resource(self):
        snap = self.snapshot()
        snap.match("error-invalid-resource", self.error(
            self.logs.put_delivery_source, name="test-ds-%s" % short_uid(),
            resourceArn="arn:aws:s3:::test-s3-bucket", logType="ACCESS_LOGS"))

    @recorded
    def test_get_delivery_source_not_found(self):
        snap = self.snapshot()
        snap.match("error-not-found", self.error(self.logs.get_delivery_source, name="foobar"))


# ---------------------------------------------------------------- coverage


class TestRecordedCoverage(unittest.TestCase):
    def test_every_validated_test_has_a_method(self):
        """Each test a validation.json lists is a method of the class of the same name here."""
        missing = []
        for module in MODULES:
            for test_id in _load(module + ".validation.json"):
                path, cls, name = test_id.split("::")
                self.assertEqual(path, LS_PATH + module + ".py")
                klass = globals().get(cls)
                if not (isinstance(klass, type) and issubclass(klass, RecordedTest)
                        and klass.MODULE == module and callable(getattr(klass, name, None))):
                    missing.append(test_id)
        self.assertEqual(missing, [])

    def test_comparator(self):
        snap = Snapshot("t", {
            "a": {"arn": "arn:<partition>:logs:<region>:1:log-group:<log-group-name:1>:*",
                  "name": "<log-group-name:1>", "creationTime": "timestamp",
                  "lastUpdatedTime": "last-updated-time", "nextToken": "<next_token>",
                  "doc": {"k": ["v"]}, "ResponseMetadata": {"HTTPHeaders": {}, "HTTPStatusCode": 200}},
        }, {})
        snap.match("a", {"arn": "arn:aws:logs:us-east-1:1:log-group:g:*", "name": "g", "creationTime": 5,
                         "lastUpdatedTime": 7, "nextToken": "x", "doc": '{"k": ["v"]}',
                         "ResponseMetadata": {"HTTPStatusCode": 200, "RequestId": "r"}})
        bad = Snapshot("t", snap.content, {})
        with self.assertRaises(AssertionError) as cm:
            bad.match("a", {"arn": "arn:aws:logs:us-east-1:1:log-group:g:*", "name": "h", "creationTime": "x",
                            "lastUpdatedTime": None, "doc": '{"k": "v"}', "extra": 1,
                            "ResponseMetadata": {"HTTPStatusCode": 400}})
        text = str(cm.exception)
        for part in ("a.name: recorded <log-group-name:1> = 'g', got 'h'", "a.creationTime", "a.lastUpdatedTime",
                     "a.nextToken: recorded", "a.doc.k: recorded a list", "a.extra: not recorded",
                     "HTTPStatusCode: recorded 200, got 400"):
            self.assertIn(part, text)


if __name__ == "__main__":
    unittest.main()
