# Test-only helper of prove's identities (identities.ts), run with the toolchain's moto python.
#
#   setup <endpoint> <ca> <policies.json>   creates the admin and one CI user per environment in moto
#   evaluate <recording> <offset> <identities.json>
#                                           evaluates the recorded calls of the CI users that moto
#                                           checks against "*" only, with their real resource ARN
#   check <identities.json> <env> <action> <resource>
#                                           evaluates one action on one resource against env's policy
#
# Every permission decision is moto's own (moto.iam.access_control.IAMPolicy); this file only maps
# a recorded request to its IAM action, resource ARN and condition keys.
import base64
import json
import re
import sys

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
    for k in kms.list_keys()["Keys"]:
        out["keys"][k["KeyId"]] = k["KeyArn"]
        out["keys"][k["KeyArn"]] = k["KeyArn"]
    for a in kms.list_aliases()["Aliases"]:
        if a.get("TargetKeyId") in out["keys"]:
            out["keys"][a["AliasName"]] = out["keys"][a["TargetKeyId"]]
            out["keys"][a["AliasArn"]] = out["keys"][a["TargetKeyId"]]
    json.dump(out, sys.stdout)


def as_list(x):
    return x if isinstance(x, list) else [x]


def decide(policy, action, resource, context=None):
    from moto.iam.access_control import IAMPolicy

    return IAMPolicy(json.dumps(policy)).is_action_permitted(action, resource, None, context).name


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
    return key_id, service, f"{service}:{operation or entry['method']}", None, None


def evaluate(recording, offset, ids_file):
    ids = json.load(open(ids_file))
    by_key = {e["id"]: env for env, e in ids["envs"].items()}
    calls = []
    with open(recording, "rb") as f:
        f.seek(int(offset))
        for line in f:
            if not line.endswith(b"\n"):
                break
            offset = f.tell()
            entry = json.loads(line)
            target = request_target(entry, ids)
            if not target or target[0] not in by_key or target[1] in ENFORCED_BY_MOTO:
                continue
            key_id, service, action, resource, context = target
            env = by_key[key_id]
            if resource is None:
                result = "UNMAPPED"
            else:
                result = decide(ids["envs"][env]["policy"], action, resource, context)
            calls.append({"env": env, "action": action, "resource": resource, "result": result})
    json.dump({"offset": offset, "calls": calls}, sys.stdout)


def check(ids_file, env, action, resource):
    ids = json.load(open(ids_file))
    print(decide(ids["envs"][env]["policy"], action, resource))


if __name__ == "__main__":
    {"setup": setup, "evaluate": evaluate, "check": check}[sys.argv[1]](*sys.argv[2:])
