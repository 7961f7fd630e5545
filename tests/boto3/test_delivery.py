"""boto3 against a running cwlogd: the seed document's example and one call
of every other log-delivery operation.

Run with CWLOGD_ENDPOINT=http://127.0.0.1:PORT python3 -m unittest tests/boto3/test_delivery.py
"""

import json
import os
import unittest
import urllib.request

import boto3
from botocore.config import Config

ENDPOINT = os.environ.get("CWLOGD_ENDPOINT", "http://127.0.0.1:4566")
ACCOUNT = "111111111111"


def client(account=ACCOUNT, region="us-east-1"):
    return boto3.client(
        "logs",
        endpoint_url=ENDPOINT,
        region_name=region,
        aws_access_key_id=account,
        aws_secret_access_key="secret",
        config=Config(retries={"max_attempts": 1}),
    )


class DeliveryTest(unittest.TestCase):
    def setUp(self):
        req = urllib.request.Request(ENDPOINT + "/_cwlogd/reset", method="POST", data=b"")
        urllib.request.urlopen(req).read()
        self.logs = client()

    def test_seed_example(self):
        # The example of CloudWatchLogs.Client.put_delivery_source.
        resp = self.logs.put_delivery_source(
            name="my-source",
            resourceArn="arn:aws:cloudfront::111111111111:distribution/E1Q5F5862X9VJ5",
            logType="ACCESS_LOGS",
            tags={"key1": "value1"},
        )
        src = resp["deliverySource"]
        self.assertEqual(
            set(src),
            {"name", "arn", "resourceArns", "service", "logType", "tags"},
        )
        self.assertEqual(src["name"], "my-source")
        self.assertEqual(src["arn"], "arn:aws:logs:us-east-1:111111111111:delivery-source:my-source")
        self.assertEqual(src["resourceArns"], ["arn:aws:cloudfront::111111111111:distribution/E1Q5F5862X9VJ5"])
        self.assertEqual(src["service"], "cloudfront")
        self.assertEqual(src["logType"], "ACCESS_LOGS")
        self.assertEqual(src["tags"], {"key1": "value1"})

    def test_every_operation(self):
        logs = self.logs
        logs.put_delivery_source(
            name="src",
            resourceArn="arn:aws:cloudfront::111111111111:distribution/E1Q5F5862X9VJ5",
            logType="ACCESS_LOGS",
        )
        self.assertNotIn("tags", logs.get_delivery_source(name="src")["deliverySource"])
        self.assertEqual(len(logs.describe_delivery_sources()["deliverySources"]), 1)

        dst = logs.put_delivery_destination(
            name="dst",
            outputFormat="json",
            deliveryDestinationConfiguration={"destinationResourceArn": "arn:aws:s3:::my-bucket"},
            tags={"team": "a"},
        )["deliveryDestination"]
        self.assertEqual(dst["deliveryDestinationType"], "S3")
        self.assertNotIn("tags", dst)
        self.assertEqual(logs.get_delivery_destination(name="dst")["deliveryDestination"]["outputFormat"], "json")
        self.assertEqual(len(logs.describe_delivery_destinations()["deliveryDestinations"]), 1)

        policy = {
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "AllowLogDeliveryActions",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
                "Action": "logs:CreateDelivery",
                "Resource": "arn:aws:logs:us-east-1:111111111111:delivery-destination:*",
            }],
        }
        put = logs.put_delivery_destination_policy(
            deliveryDestinationName="dst", deliveryDestinationPolicy=json.dumps(policy, indent=2))
        self.assertEqual(put["policy"]["deliveryDestinationPolicy"], json.dumps(policy, separators=(",", ":")))
        got = logs.get_delivery_destination_policy(deliveryDestinationName="dst")
        self.assertEqual(json.loads(got["policy"]["deliveryDestinationPolicy"]), policy)
        logs.delete_delivery_destination_policy(deliveryDestinationName="dst")
        self.assertEqual(logs.get_delivery_destination_policy(deliveryDestinationName="dst")["policy"], {})

        delivery = logs.create_delivery(
            deliverySourceName="src", deliveryDestinationArn=dst["arn"], tags={"k": "v"})["delivery"]
        self.assertRegex(delivery["id"], r"^[A-Za-z0-9]{16}$")
        self.assertEqual(delivery["tags"], {"k": "v"})
        self.assertEqual(delivery["s3DeliveryConfiguration"],
                         {"suffixPath": "AWSLogs/{account-id}/CloudFront/", "enableHiveCompatiblePath": False})
        self.assertEqual(len(delivery["recordFields"]), 33)
        got = logs.get_delivery(id=delivery["id"])["delivery"]
        self.assertNotIn("tags", got)
        self.assertEqual(len(logs.describe_deliveries()["deliveries"]), 1)
        logs.update_delivery_configuration(id=delivery["id"], recordFields=["date", "time"], fieldDelimiter="")
        got = logs.get_delivery(id=delivery["id"])["delivery"]
        self.assertEqual(got["recordFields"], ["date", "time"])
        self.assertEqual(got["fieldDelimiter"], "")

        templates = logs.describe_configuration_templates(service="cloudfront", deliveryDestinationTypes=["S3"])
        self.assertTrue(templates["configurationTemplates"])
        for t in templates["configurationTemplates"]:
            self.assertEqual((t["service"], t["deliveryDestinationType"]), ("cloudfront", "S3"))

        logs.tag_resource(resourceArn=delivery["arn"], tags={"env": "test"})
        self.assertEqual(logs.list_tags_for_resource(resourceArn=delivery["arn"])["tags"], {"k": "v", "env": "test"})
        logs.untag_resource(resourceArn=delivery["arn"], tagKeys=["k"])
        self.assertEqual(logs.list_tags_for_resource(resourceArn=delivery["arn"])["tags"], {"env": "test"})

        with self.assertRaises(logs.exceptions.ConflictException):
            logs.delete_delivery_source(name="src")
        logs.delete_delivery(id=delivery["id"])
        logs.delete_delivery_source(name="src")
        logs.delete_delivery_destination(name="dst")
        with self.assertRaises(logs.exceptions.ResourceNotFoundException) as cm:
            logs.get_delivery(id=delivery["id"])
        self.assertEqual(cm.exception.response["Error"]["Message"], "Requested Delivery does not exist in this account.")

    def test_errors(self):
        logs = self.logs
        with self.assertRaises(logs.exceptions.ResourceNotFoundException) as cm:
            logs.put_delivery_source(name="s3", resourceArn="arn:aws:s3:::test-s3-bucket", logType="ACCESS_LOGS")
        self.assertEqual(cm.exception.response["Error"]["Message"], "Cannot access provided service.")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        with self.assertRaises(logs.exceptions.ValidationException) as cm:
            logs.put_delivery_destination(
                name="d", outputFormat="foobar",
                deliveryDestinationConfiguration={"destinationResourceArn": "arn:aws:s3:::b"})
        self.assertEqual(
            cm.exception.response["Error"]["Message"],
            "1 validation error detected: Value 'foobar' at 'outputFormat' failed to satisfy constraint: "
            "Member must satisfy enum value set: [w3c, raw, json, plain, parquet]")
        with self.assertRaises(logs.exceptions.ResourceNotFoundException):
            logs.get_delivery_destination(name="nope")

    def test_paginators(self):
        logs = self.logs
        for i in range(120):
            logs.put_delivery_source(
                name="s%03d" % i,
                resourceArn="arn:aws:cloudfront::111111111111:distribution/E%03d" % i,
                logType="ACCESS_LOGS")
        names = []
        for page in logs.get_paginator("describe_delivery_sources").paginate(PaginationConfig={"PageSize": 7}):
            names += [s["name"] for s in page["deliverySources"]]
        self.assertEqual(names, ["s%03d" % i for i in range(120)])


if __name__ == "__main__":
    unittest.main()
