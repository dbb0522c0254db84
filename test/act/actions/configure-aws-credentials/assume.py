"""configure-aws-credentials stand-in: assume the workflow's role in moto (see action.yml)."""
import base64
import fnmatch
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError

OIDC_HOST = "token.actions.githubusercontent.com"


def fail(message):
    print(f"::error::configure-aws-credentials stand-in: {message}")
    sys.exit(1)


def b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def job_environment():
    """The GitHub environment of the running job, as tofu-root.yml names it: act knows none.

    The target is found by the job's TOFU_ROOT and TOFU_WORKSPACE in the harness's targets file;
    the apply job deploys to <environment>, plan and drift run in <environment>-plan.
    """
    root, workspace = os.environ.get("TOFU_ROOT", ""), os.environ.get("TOFU_WORKSPACE", "")
    targets = json.load(open(os.environ["CTI_ACT_TARGETS"]))
    found = [t for t in targets if t["root"] == root and t["workspace"] == workspace]
    if len(found) != 1:
        fail(f"no single target for root {root!r} workspace {workspace!r} (TOFU_ROOT/TOFU_WORKSPACE of the job)")
    env = found[0]["environment"]
    return env if os.environ["GITHUB_JOB"] == "apply" else f"{env}-plan"


def subject(repository, environment):
    # A job with an environment gets a token whose sub names the environment, whatever the event.
    return f"repo:{repository}:environment:{environment}"


def allows(trust, sub):
    """Whether a statement of the trust policy lets GitHub's OIDC provider in with this subject."""
    for st in trust.get("Statement", []):
        actions = st.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        federated = st.get("Principal", {}).get("Federated", "")
        if st.get("Effect") != "Allow" or "sts:AssumeRoleWithWebIdentity" not in actions:
            continue
        if not str(federated).endswith(f"oidc-provider/{OIDC_HOST}"):
            continue
        patterns = []
        for op in ("StringEquals", "StringLike"):
            value = st.get("Condition", {}).get(op, {}).get(f"{OIDC_HOST}:sub")
            if value is not None:
                patterns += [value] if isinstance(value, str) else value
        if not patterns:
            fail("the trust policy lets any GitHub repository in: it has no sub condition")
        if any(fnmatch.fnmatchcase(sub, p) for p in patterns):
            return True
    return False


def main():
    arn = os.environ["ROLE_ARN"]
    if not arn:
        fail("role-to-assume is empty (is the repository variable set?)")
    parts = arn.split(":")
    if len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        fail(f"role-to-assume is not a role ARN: {arn}")
    session = boto3.session.Session(region_name=os.environ["REGION"], aws_access_key_id="test", aws_secret_access_key="test")
    sts = session.client("sts")
    account = sts.get_caller_identity()["Account"]
    if parts[4] != account:
        fail(f"{arn} is in account {parts[4]}, not in this account ({account})")
    try:
        role = session.client("iam").get_role(RoleName=parts[5].split("/")[-1])["Role"]
    except ClientError as e:
        fail(f"no role {arn}: {e.response['Error']['Code']}")
    if role["Arn"] != arn:
        fail(f"{arn} names role {role['Arn']} by another path")
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    environment = job_environment()
    # GitHub's side of the environment the job names, as tofu-root.yml's header asks to configure
    # it: the apply environment accepts deployments from the default branch only.
    default_ref = f"refs/heads/{os.environ['CTI_ACT_DEFAULT_BRANCH']}"
    if not environment.endswith("-plan") and os.environ["REF"] != default_ref:
        fail(f"environment {environment} accepts deployments from {default_ref} only, not {os.environ['REF']}")
    sub = subject(os.environ["REPOSITORY"], environment)
    if not allows(trust, sub):
        fail(f"{arn} does not trust {sub}: this job cannot assume it")
    token = ".".join([b64({"alg": "none", "typ": "JWT"}), b64({"iss": f"https://{OIDC_HOST}", "aud": "sts.amazonaws.com", "sub": sub}), ""])
    creds = sts.assume_role_with_web_identity(RoleArn=arn, RoleSessionName=os.environ["SESSION_NAME"], WebIdentityToken=token)["Credentials"]
    with open(os.environ["GITHUB_ENV"], "a") as env:
        for line in (
            f"AWS_ACCESS_KEY_ID={creds['AccessKeyId']}",
            f"AWS_SECRET_ACCESS_KEY={creds['SecretAccessKey']}",
            f"AWS_SESSION_TOKEN={creds['SessionToken']}",
            f"AWS_REGION={os.environ['REGION']}",
            f"AWS_DEFAULT_REGION={os.environ['REGION']}",
        ):
            env.write(line + "\n")
    print(f"::add-mask::{creds['SecretAccessKey']}")
    print(f"::add-mask::{creds['SessionToken']}")
    print(f"assumed {arn} as {sub}")


main()
