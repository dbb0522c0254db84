# Test-only helper of prove's identities (identities.ts), run with the toolchain's moto python.
#
#   setup <endpoint> <ca> <policies.json>   creates the admin and one CI user per environment in moto
#   calls <recording> <offset> <identities.json>
#                                           the recorded calls of the CI users that moto does not
#                                           fully authorize: KMS and DynamoDB (moto checks them
#                                           against "*"), S3 ListBucket (moto skips its s3:prefix
#                                           condition), each with its real resource ARN and
#                                           condition keys
#
# This file decides nothing: it maps a recorded request to its IAM action, resource ARN and
# condition keys; identities.ts has the IAM simulator (test/harness/iam-policy.ts) decide.
import base64
import json
import re
import sys
from urllib.parse import parse_qsl, unquote, urlsplit

ENFORCED_BY_MOTO = {"s3", "iam", "sts"}


def setup(endpoint, ca, policies_file):
    import boto3

    policies = json.load(open(policies_file))
    session = dict(endpoint_url=endpoint, region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test", verify=ca)
    iam = boto3.client("iam", **session)
    kms = boto3.client("kms", **session)
    everything = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam.create_user(UserName="prove-admin")
    iam.put_user_policy(UserName="prove-admin", PolicyName="admin", PolicyDocument=json.dumps(everything))
    admin = iam.create_access_key(UserName="prove-admin")["AccessKey"]
    account = boto3.client("sts", **session).get_caller_identity()["Account"]
    out = {"admin": {"id": admin["AccessKeyId"], "secret": admin["SecretAccessKey"]}, "account": account, "envs": {}, "keys": {}}
    for env, arn in policies.items():
        version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
        document = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]
        if isinstance(document, str):
            document = json.loads(document)
        user = f"prove-ci-{env}"
        iam.create_user(UserName=user)
        iam.attach_user_policy(UserName=user, PolicyArn=arn)
        # moto checks KMS and DynamoDB actions against "*" only: the same actions on "*" let moto
        # check the action, and evaluate() checks the resource against the generated policy itself.
        gap = [
            {"Effect": s["Effect"], "Action": s["Action"], "Resource": "*"}
            for s in document["Statement"]
            if not all(a.split(":")[0] in ENFORCED_BY_MOTO for a in as_list(s["Action"]))
        ]
        if gap:
            iam.put_user_policy(UserName=user, PolicyName="moto-gap-actions-on-star", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": gap}))
        key = iam.create_access_key(UserName=user)["AccessKey"]
        out["envs"][env] = {"user": user, "id": key["AccessKeyId"], "secret": key["SecretAccessKey"], "policy_arn": arn, "policy": document}
    # Every name a request can give a key by (id, ARN, alias name, alias ARN) -> the key's ARN.
    out["key_policies"] = {}
    for k in kms.list_keys()["Keys"]:
        out["keys"][k["KeyId"]] = k["KeyArn"]
        out["keys"][k["KeyArn"]] = k["KeyArn"]
        out["key_policies"][k["KeyArn"]] = json.loads(kms.get_key_policy(KeyId=k["KeyId"], PolicyName="default")["Policy"])
    for a in kms.list_aliases()["Aliases"]:
        if a.get("TargetKeyId") in out["keys"]:
            out["keys"][a["AliasName"]] = out["keys"][a["TargetKeyId"]]
            out["keys"][a["AliasArn"]] = out["keys"][a["TargetKeyId"]]
    json.dump(out, sys.stdout)


def as_list(x):
    return x if isinstance(x, list) else [x]


def request_target(entry, ids):
    """(service, action, resource, context) of one recorded request, from its headers and body."""
    headers = {k.lower(): v for k, v in entry["headers"].items()}
    auth = headers.get("authorization", "")
    scope = re.search(r"Credential=([^/]+)/\d+/([^/]+)/([^/]+)/", auth)
    if not scope:
        return None
    key_id, region, service = scope.groups()
    body = entry.get("body") or ""
    if entry.get("body_encoded"):
        body = base64.b64decode(body)
    target = headers.get("x-amz-target", "")
    operation = target.split(".")[-1]
    data = json.loads(body) if target and body else {}
    account = ids["account"]
    if service == "kms":
        key = data.get("KeyId")
        if key is None and "CiphertextBlob" in data:
            # Decrypt without KeyId: moto's ciphertext names its key (moto/kms/utils.py format).
            from moto.kms.utils import _deserialize_ciphertext_blob

            key = _deserialize_ciphertext_blob(base64.b64decode(data["CiphertextBlob"])).key_id
        resource = ids["keys"].get(key) if key else None
        return key_id, service, f"kms:{operation}", resource, None
    if service == "dynamodb":
        table = data.get("TableName")
        resource = f"arn:aws:dynamodb:{region}:{account}:table/{table}" if table else None
        item = data.get("Key") or data.get("Item") or {}
        lock_id = item.get("LockID", {}).get("S")
        return key_id, service, f"dynamodb:{operation}", resource, {"dynamodb:LeadingKeys": lock_id} if lock_id else None
    if service == "s3":
        return key_id, service, *s3_list_bucket(entry)
    return key_id, service, f"{service}:{operation or entry['method']}", None, None


# Query parameters of a bucket-level GET that still make it a listing (ListObjects, ListObjectsV2).
LIST_PARAMETERS = {"list-type", "prefix", "delimiter", "max-keys", "marker", "continuation-token", "start-after", "encoding-type", "fetch-owner"}


def s3_list_bucket(entry):
    """(action, bucket ARN, condition keys) of a path-style ListObjects(V2) or HeadBucket; (None, None, None) otherwise."""
    url = urlsplit(entry["url"])
    parts = [p for p in url.path.split("/") if p]
    query = dict(parse_qsl(url.query, keep_blank_values=True))
    if len(parts) != 1 or entry["method"] not in ("GET", "HEAD") or not set(query) <= LIST_PARAMETERS:
        return None, None, None
    context = {k: query[k] for k in ("prefix", "delimiter", "max-keys") if k in query}
    return "s3:ListBucket", f"arn:aws:s3:::{unquote(parts[0])}", {f"s3:{k}": v for k, v in context.items()}


def calls(recording, offset, ids_file):
    ids = json.load(open(ids_file))
    by_key = {e["id"]: env for env, e in ids["envs"].items()}
    out = []
    with open(recording, "rb") as f:
        f.seek(int(offset))
        for line in f:
            if not line.endswith(b"\n"):
                break
            offset = f.tell()
            entry = json.loads(line)
            target = request_target(entry, ids)
            if not target or target[0] not in by_key or target[2] is None:
                continue
            key_id, service, action, resource, context = target
            if service in ENFORCED_BY_MOTO and action != "s3:ListBucket":
                continue
            out.append({"env": by_key[key_id], "action": action, "resource": resource, "context": context or {}})
    json.dump({"offset": offset, "calls": out}, sys.stdout)


if __name__ == "__main__":
    {"setup": setup, "calls": calls}[sys.argv[1]](*sys.argv[2:])
