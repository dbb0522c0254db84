# Runs offline: `tofu init && tofu test` in modules/database. The aws provider is mocked, so no
# credentials and no cloud; computed values (IDs, ARNs) are made up by the mock.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{}"
    }
  }

  # The instance checks the shape of the monitoring role's ARN.
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/rds-monitoring-0123"
    }
  }

  # RDS reports the secret it created for the master password.
  mock_resource "aws_db_instance" {
    defaults = {
      master_user_secret = [{
        secret_arn    = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0123-AbCdEf"
        secret_status = "active"
        kms_key_id    = "arn:aws:kms:eu-west-1:123456789012:key/0123"
      }]
    }
  }
}

variables {
  name        = "acme"
  environment = "dev"
  vpc_id      = "vpc-0123456789abcdef0"
  subnet_ids  = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_security_group_ids = {
    application = "sg-0123456789abcdef0"
  }
}

run "the_password_never_reaches_configuration_plan_or_state" {
  assert {
    condition     = aws_db_instance.this.manage_master_user_password == true
    error_message = "RDS must create and rotate the master password in Secrets Manager."
  }

  assert {
    condition     = aws_db_instance.this.password == null
    error_message = "The configuration must never set a master password: it would be stored in plan and state."
  }

  assert {
    condition     = output.master_user_secret_arn == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0123-AbCdEf"
    error_message = "master_user_secret_arn points at the secret RDS owns."
  }
}

run "safe_storage_and_access" {
  assert {
    condition     = aws_db_instance.this.storage_encrypted && !aws_db_instance.this.publicly_accessible
    error_message = "Storage is encrypted and the instance is never publicly accessible."
  }

  assert {
    condition     = !aws_db_instance.this.skip_final_snapshot && aws_db_instance.this.final_snapshot_identifier == "acme-dev-final"
    error_message = "Deleting the instance leaves a final snapshot."
  }

  assert {
    condition     = aws_db_instance.this.deletion_protection
    error_message = "Deletion protection is on unless a root turns it off."
  }

  assert {
    condition     = [for r in aws_vpc_security_group_ingress_rule.postgres : [r.from_port, r.to_port, r.ip_protocol, r.referenced_security_group_id]] == [[5432, 5432, "tcp", "sg-0123456789abcdef0"]]
    error_message = "The only way in is TCP 5432 from the named security groups."
  }

  assert {
    condition     = one([for p in aws_db_parameter_group.this.parameter : p.value if p.name == "rds.force_ssl"]) == "1"
    error_message = "Connections must use TLS (rds.force_ssl = 1)."
  }
}

# The sizes a generated root gives each environment (terraform.tfvars): production gets a
# standby and deletion protection, the others stay cheap and disposable.
run "dev_sizing" {
  variables {
    instance_class      = "db.t3.micro"
    multi_az            = false
    allocated_storage   = 20
    deletion_protection = false
  }

  assert {
    condition     = !aws_db_instance.this.multi_az && !aws_db_instance.this.deletion_protection
    error_message = "dev: no standby, no deletion protection."
  }
}

run "prod_sizing" {
  variables {
    environment         = "prod"
    instance_class      = "db.t3.medium"
    multi_az            = true
    allocated_storage   = 50
    deletion_protection = true
  }

  assert {
    condition     = aws_db_instance.this.multi_az && aws_db_instance.this.deletion_protection
    error_message = "prod: a standby in a second zone and deletion protection."
  }

  assert {
    condition     = output.db_instance_id == "acme-prod" && aws_db_instance.this.allocated_storage == 50
    error_message = "The instance is named <name>-<environment> and gets the storage asked for."
  }
}

run "monitoring_role_only_when_monitoring" {
  variables {
    monitoring_interval = 60
  }

  assert {
    condition     = length(aws_iam_role.monitoring) == 1 && aws_db_instance.this.monitoring_role_arn == aws_iam_role.monitoring[0].arn
    error_message = "Enhanced Monitoring gets its role."
  }
}

run "no_monitoring_role_by_default" {
  command = plan

  assert {
    condition     = length(aws_iam_role.monitoring) == 0
    error_message = "No IAM role without Enhanced Monitoring."
  }
}

run "rejects_an_ec2_instance_type" {
  command = plan

  variables {
    instance_class = "t3.micro"
  }

  expect_failures = [var.instance_class]
}

run "rejects_a_single_subnet" {
  command = plan

  variables {
    subnet_ids = ["subnet-0123456789abcdef0"]
  }

  expect_failures = [var.subnet_ids]
}

run "rejects_backups_switched_off" {
  command = plan

  variables {
    backup_retention_days = 0
  }

  expect_failures = [var.backup_retention_days]
}

run "rejects_storage_below_20_gib" {
  command = plan

  variables {
    allocated_storage = 10
  }

  expect_failures = [var.allocated_storage]
}

run "rejects_an_unknown_engine_version" {
  command = plan

  variables {
    engine_version = "postgres16"
  }

  expect_failures = [var.engine_version]
}

run "rejects_a_monitoring_interval_rds_does_not_offer" {
  command = plan

  variables {
    monitoring_interval = 2
  }

  expect_failures = [var.monitoring_interval]
}

run "rejects_what_is_not_a_security_group" {
  command = plan

  variables {
    allowed_security_group_ids = {
      application = "vpc-0123456789abcdef0"
    }
  }

  expect_failures = [var.allowed_security_group_ids]
}
