"""boto3 against a running cwlogd: log groups, streams, events, retention,
tags and resource policies, with the answers and errors AWS gives.

Run with CWLOGD_ENDPOINT=http://127.0.0.1:PORT python3 -m unittest tests/boto3/test_logs.py
"""

import json
import os
import sys
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_delivery import ACCOUNT, ENDPOINT, client  # noqa: E402


def now_ms():
    return int(time.time() * 1000)


class LogsTest(unittest.TestCase):
    def setUp(self):
        req = urllib.request.Request(ENDPOINT + "/_cwlogd/reset", method="POST", data=b"")
        urllib.request.urlopen(req).read()
        self.logs = client()

    def assertError(self, code, message, fn, **kwargs):
        with self.assertRaises(self.logs.exceptions.ClientError) as cm:
            fn(**kwargs)
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], code)
        if message is not None:
            self.assertEqual(err["Message"], message)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_groups_and_streams(self):
        logs = self.logs
        logs.create_log_group(logGroupName="/app/web", tags={"team": "web"})
        self.assertError("ResourceAlreadyExistsException", "The specified log group already exists",
                         logs.create_log_group, logGroupName="/app/web")
        self.assertError("InvalidParameterException",
                         "Invalid LogGroup or LogStream, both must have length less than or equal to 512.",
                         logs.create_log_group, logGroupName="a" * 513)
        group = logs.describe_log_groups(logGroupNamePrefix="/app")["logGroups"][0]
        arn = "arn:aws:logs:us-east-1:%s:log-group:/app/web" % ACCOUNT
        self.assertEqual(group["arn"], arn + ":*")
        self.assertEqual(group["logGroupArn"], arn)
        self.assertEqual(group["storedBytes"], 0)
        self.assertEqual(group["logGroupClass"], "STANDARD")
        self.assertNotIn("retentionInDays", group)
        self.assertEqual(logs.list_log_groups()["logGroups"],
                         [{"logGroupName": "/app/web", "logGroupArn": arn, "logGroupClass": "STANDARD"}])

        logs.put_retention_policy(logGroupName="/app/web", retentionInDays=14)
        self.assertEqual(logs.describe_log_groups()["logGroups"][0]["retentionInDays"], 14)
        self.assertError("InvalidParameterException", None,
                         logs.put_retention_policy, logGroupName="/app/web", retentionInDays=2)
        logs.delete_retention_policy(logGroupName="/app/web")
        self.assertNotIn("retentionInDays", logs.describe_log_groups()["logGroups"][0])

        logs.tag_log_group(logGroupName="/app/web", tags={"env": "prod"})
        logs.untag_resource(resourceArn=arn, tagKeys=["team"])
        self.assertEqual(logs.list_tags_log_group(logGroupName="/app/web")["tags"], {"env": "prod"})
        self.assertEqual(logs.list_tags_for_resource(resourceArn=arn)["tags"], {"env": "prod"})
        logs.untag_log_group(logGroupName="/app/web", tags=["env"])
        self.assertEqual(logs.list_tags_log_group(logGroupName="/app/web")["tags"], {})

        logs.create_log_stream(logGroupName="/app/web", logStreamName="i-1")
        self.assertError("ResourceAlreadyExistsException", "The specified log stream already exists",
                         logs.create_log_stream, logGroupName="/app/web", logStreamName="i-1")
        stream = logs.describe_log_streams(logGroupName="/app/web")["logStreams"][0]
        self.assertEqual(set(stream), {"logStreamName", "creationTime", "arn", "storedBytes"})
        self.assertEqual(stream["arn"], arn + ":log-stream:i-1")
        logs.delete_log_stream(logGroupName="/app/web", logStreamName="i-1")
        self.assertError("ResourceNotFoundException", "The specified log stream does not exist.",
                         logs.delete_log_stream, logGroupName="/app/web", logStreamName="i-1")
        logs.delete_log_group(logGroupName="/app/web")
        self.assertError("ResourceNotFoundException", "The specified log group does not exist.",
                         logs.delete_log_group, logGroupName="/app/web")

    def test_events(self):
        logs = self.logs
        logs.create_log_group(logGroupName="g")
        for s in ("a", "b"):
            logs.create_log_stream(logGroupName="g", logStreamName=s)
        base = now_ms() - 60_000
        resp = logs.put_log_events(logGroupName="g", logStreamName="a", logEvents=[
            {"timestamp": base + i, "message": "a%d ERROR" % i if i % 2 else "a%d ok" % i} for i in range(20)])
        self.assertEqual(len(resp["nextSequenceToken"]), 56)
        self.assertNotIn("rejectedLogEventsInfo", resp)
        logs.put_log_events(logGroupName="g", logStreamName="b", logEvents=[
            {"timestamp": base, "message": json.dumps({"status": 500})}])
        resp = logs.put_log_events(logGroupName="g", logStreamName="b", logEvents=[
            {"timestamp": now_ms() - 30 * 86400000, "message": "too old"}])
        self.assertEqual(resp["rejectedLogEventsInfo"], {"tooOldLogEventEndIndex": 1})
        self.assertError("ResourceNotFoundException", "The specified log stream does not exist.",
                         logs.put_log_events, logGroupName="g", logStreamName="zz",
                         logEvents=[{"timestamp": base, "message": "x"}])
        self.assertError("InvalidParameterException",
                         "Log events in a single PutLogEvents request must be in chronological order.",
                         logs.put_log_events, logGroupName="g", logStreamName="a",
                         logEvents=[{"timestamp": base + 1, "message": "x"}, {"timestamp": base, "message": "y"}])

        page = logs.get_log_events(logGroupName="g", logStreamName="a", startFromHead=True, limit=10)
        self.assertEqual([e["message"] for e in page["events"]], ["a%d %s" % (i, "ERROR" if i % 2 else "ok") for i in range(10)])
        self.assertTrue(page["nextForwardToken"].startswith("f/"))
        self.assertTrue(page["nextBackwardToken"].startswith("b/"))
        seen = []
        token = None
        while True:
            kw = {"nextToken": token} if token else {"startFromHead": True}
            page = logs.get_log_events(logGroupName="g", logStreamName="a", limit=7, **kw)
            seen += [e["message"] for e in page["events"]]
            if page["nextForwardToken"] == token:
                break
            token = page["nextForwardToken"]
        self.assertEqual(len(seen), 20)
        self.assertError("InvalidParameterException", "The specified nextToken is invalid.",
                         logs.get_log_events, logGroupName="g", logStreamName="a", nextToken="invalid-token")

        paginator = logs.get_paginator("filter_log_events")
        found = []
        for page in paginator.paginate(logGroupName="g", filterPattern="ERROR", PaginationConfig={"PageSize": 3}):
            self.assertEqual(page["searchedLogStreams"], [])
            found += [e["message"] for e in page["events"]]
        self.assertEqual(found, ["a%d ERROR" % i for i in range(1, 20, 2)])
        events = logs.filter_log_events(logGroupName="g", filterPattern="{ $.status = 500 }")["events"]
        self.assertEqual([(e["logStreamName"], e["message"]) for e in events], [("b", '{"status": 500}')])
        self.assertError("InvalidParameterException", "The specified nextToken is invalid.",
                         logs.filter_log_events, logGroupName="g", nextToken="invalid-token")

    def test_resource_policies(self):
        logs = self.logs
        doc = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": ["delivery.logs.amazonaws.com"]},
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]})
        resp = logs.put_resource_policy(policyName="vended", policyDocument=doc)
        self.assertEqual(resp["resourcePolicy"]["policyDocument"], doc)
        self.assertEqual(resp["resourcePolicy"]["policyScope"], "ACCOUNT")
        policies = logs.describe_resource_policies()["resourcePolicies"]
        self.assertEqual([p["policyName"] for p in policies], ["vended"])
        self.assertEqual(json.loads(policies[0]["policyDocument"])["Statement"][0]["Principal"],
                         {"Service": "delivery.logs.amazonaws.com"})
        logs.delete_resource_policy(policyName="vended")
        self.assertError("ResourceNotFoundException", "Policy with name [vended] does not exist.",
                         logs.delete_resource_policy, policyName="vended")


if __name__ == "__main__":
    unittest.main()
