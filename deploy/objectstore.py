"""A throwaway S3 API server for photos: moto's server on 127.0.0.1, for tests and the stack.

It speaks the S3 protocol over HTTP, so Django talks to it exactly as to a bucket
elsewhere (django-storages and boto3), and readers fetch the resized copies from it
over plain HTTP. It keeps everything in memory: a stopped server comes back empty.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time

import httpx

from deploy.varnish import Service

START_TIMEOUT = 30.0
REGION = "us-east-1"
# moto accepts any credentials; these only have to look like a key pair.
ACCESS_KEY_ID = "newsroom-objectstore"
SECRET_ACCESS_KEY = "newsroom-objectstore-secret"  # noqa: S105 (a local test server's)


def missing() -> str | None:
    """Return why moto's S3 server cannot run here, or None when it can."""
    needed = (("moto", "moto[server]"), ("flask_cors", "moto[server]"), ("boto3", "boto3"))
    for module, package in needed:
        try:
            found = importlib.util.find_spec(module)
        except ImportError:
            found = None
        if found is None:
            return f"{package} is not installed (pip install -e '.[stack]')"
    return None


def copies_readable_policy(bucket: str) -> dict:
    """Return the bucket policy that lets anyone fetch the resized copies, and nothing else.

    Objects are stored without an ACL, so originals (and anything else) stay private.
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadersFetchTheResizedCopies",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/CACHE/renditions/*",
            }
        ],
    }


class S3Server(Service):
    """moto's S3 API on 127.0.0.1:`port`, with the (empty) bucket `bucket` created.

    The bucket has the policy a deployment gives it (`copies_readable_policy`):
    readers fetch the resized copies over plain HTTP; originals answer 403.
    """

    def __init__(self, port: int, bucket: str = "newsroom-media") -> None:
        self.port = port
        self.bucket = bucket
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def media_url(self) -> str:
        """Return the address readers fetch the bucket's objects from (path style)."""
        return f"{self.url}/{self.bucket}/"

    def env(self) -> dict[str, str]:
        """Return the environment a Django process needs to keep its photos here."""
        return {
            "MEDIA_BUCKET": self.bucket,
            "MEDIA_S3_ENDPOINT_URL": self.url,
            "MEDIA_S3_REGION": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
            "MEDIA_URL": self.media_url,
        }

    def start(self) -> None:
        """Start the server, wait until it answers and create the bucket."""
        reason = missing()
        if reason is not None:
            raise RuntimeError(reason)
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            self._wait()
            client = self.client()
            client.create_bucket(Bucket=self.bucket)
            policy = json.dumps(copies_readable_policy(self.bucket))
            client.put_bucket_policy(Bucket=self.bucket, Policy=policy)
        except BaseException:
            self.stop()
            raise

    def _wait(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"moto's server on {self.port} exited at start")
            try:
                # moto's own status page: answers once the server takes requests.
                if httpx.get(f"{self.url}/moto-api/", timeout=1).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"moto's server on {self.port} did not answer in time")
            time.sleep(0.05)

    def client(self):
        """Return a boto3 S3 client for this server (to look into the bucket)."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
        )

    def object_names(self) -> list[str]:
        """Return the names of every object in the bucket, sorted."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def stop(self) -> None:
        """Stop the server (its process group); everything it held is gone."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        # Its own process group (start_new_session): the server and nothing else.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
