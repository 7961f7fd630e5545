"""boto3 against a cwlogd started with --auth strict (scripts/boto3-auth-tests.sh):
the right keys work, and a wrong secret, an unknown key, a missing or wrong
session token, a skewed clock, a body changed after signing and a request
without a signature are refused with AWS's codes and texts.

Run with CWLOGD_ENDPOINT=http://127.0.0.1:PORT python3 -m unittest tests/boto3/test_auth.py
against a server whose credentials are those below.
"""

import datetime
import os
import re
import unittest
import urllib.error
import urllib.request
from unittest import mock

import boto3
import botocore.auth
from botocore import UNSIGNED
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

ENDPOINT = os.environ.get("CWLOGD_ENDPOINT", "http://127.0.0.1:4566")

# The credentials file of scripts/boto3-auth-tests.sh.
ACCOUNT, SECRET = "111111111111", "boto3-strict-secret"
TEMP_KEY, TEMP_SECRET, TEMP_TOKEN, TEMP_ACCOUNT = "ASIABOTO3TEMP", "boto3-temp-secret", "boto3-session-token", "333333333333"
# The server's environment credential: its account is --default-account.
ENV_KEY, ENV_SECRET, ENV_ACCOUNT = "AKIABOTO3ENV", "boto3-env-secret", "000000000000"

MSG_SIGNATURE = ("The request signature we calculated does not match the signature you provided. "
                 "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
MSG_TOKEN = "The security token included in the request is invalid."


def client(key=ACCOUNT, secret=SECRET, token=None, signed=True):
    cfg = Config(retries={"max_attempts": 1})
    if not signed:
        cfg = cfg.merge(Config(signature_version=UNSIGNED))
    return boto3.client("logs", endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id=key,
                        aws_secret_access_key=secret, aws_session_token=token, config=cfg)


def signed_admin(path, secret=SECRET):
    """POSTs to a /_cwlogd/ endpoint, SigV4-signed as botocore signs, and returns the status."""
    req = AWSRequest(method="POST", url=ENDPOINT + path, data=b"")
    if secret is not None:
        botocore.auth.SigV4Auth(Credentials(ACCOUNT, secret), "logs", "us-east-1").add_auth(req)
    prepared = req.prepare()
    r = urllib.request.Request(prepared.url, data=b"", method="POST", headers=dict(prepared.headers.items()))
    try:
        with urllib.request.urlopen(r) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


class StrictAuthTest(unittest.TestCase):
    def setUp(self):
        status, body = signed_admin("/_cwlogd/reset")
        self.assertEqual(status, 200, body)

    def assertRefused(self, call, code, message=None):
        with self.assertRaises(ClientError) as cm:
            call()
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], code)
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400)
        if message is not None:
            self.assertEqual(err["Error"]["Message"], message)
        return err["Error"]["Message"]

    def put_source(self, logs, account):
        return logs.put_delivery_source(name="src", logType="ACCESS_LOGS",
                                        resourceArn="arn:aws:cloudfront::%s:distribution/E1Q5F5862X9VJ5" % account)

    def test_right_keys_work(self):
        for logs, account in ((client(), ACCOUNT), (client(TEMP_KEY, TEMP_SECRET, TEMP_TOKEN), TEMP_ACCOUNT),
                              (client(ENV_KEY, ENV_SECRET), ENV_ACCOUNT)):
            arn = self.put_source(logs, account)["deliverySource"]["arn"]
            self.assertEqual(arn, "arn:aws:logs:us-east-1:%s:delivery-source:src" % account)
            self.assertEqual(len(logs.describe_delivery_sources()["deliverySources"]), 1)

    def test_wrong_secret(self):
        self.assertRefused(client(secret="wrong").describe_delivery_sources, "InvalidSignatureException", MSG_SIGNATURE)

    def test_unknown_key(self):
        self.assertRefused(client(key="AKIANOBODY").describe_delivery_sources, "UnrecognizedClientException", MSG_TOKEN)

    def test_session_token(self):
        self.assertRefused(client(TEMP_KEY, TEMP_SECRET).describe_delivery_sources, "UnrecognizedClientException", MSG_TOKEN)
        self.assertRefused(client(TEMP_KEY, TEMP_SECRET, "stale").describe_delivery_sources, "UnrecognizedClientException", MSG_TOKEN)

    def test_no_signature(self):
        self.assertRefused(client(signed=False).describe_delivery_sources, "MissingAuthenticationTokenException",
                           "Missing Authentication Token")

    def test_skewed_clock(self):
        late = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=10)
        logs = client()
        with mock.patch("botocore.auth.get_current_datetime", return_value=late):
            msg = self.assertRefused(logs.describe_delivery_sources, "InvalidSignatureException")
        self.assertRegex(msg, r"^Signature expired: %sT\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$"
                         % late.strftime("%Y%m%d"))
        self.assertIn(late.strftime("%Y%m%dT%H%M%SZ"), msg)

    def test_body_changed_after_signing(self):
        logs = client()

        def tamper(request, **kwargs):
            request.body = request.body.replace(b'"src"', b'"evil"')

        logs.meta.events.register("before-send.logs.PutDeliverySource", tamper)
        self.assertRefused(lambda: self.put_source(logs, ACCOUNT), "InvalidSignatureException", MSG_SIGNATURE)

    def test_admin_endpoints(self):
        with urllib.request.urlopen(ENDPOINT + "/_cwlogd/health") as resp:
            self.assertEqual(resp.status, 200)
        status, body = signed_admin("/_cwlogd/reset", secret=None)
        self.assertEqual((status, body), (400, '{"__type":"MissingAuthenticationTokenException","message":"Missing Authentication Token"}'))
        status, body = signed_admin("/_cwlogd/reset", secret="wrong")
        self.assertEqual(status, 400)
        self.assertIn("InvalidSignatureException", body)


if __name__ == "__main__":
    unittest.main()
