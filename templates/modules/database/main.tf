resource "aws_db_subnet_group" "this" {
  name        = local.identifier
  description = "Private subnets of ${local.identifier}"
  subnet_ids  = var.subnet_ids

  tags = {
    Name = "${local.identifier}-db"
  }
}

resource "aws_security_group" "this" {
  name        = "${local.identifier}-db"
  description = "PostgreSQL access to ${local.identifier}"
  vpc_id      = var.vpc_id

  tags = {
    Name = "${local.identifier}-db"
  }
}

# No egress rule: the instance only answers connections, and tofu removes the default allow-all.
resource "aws_vpc_security_group_ingress_rule" "postgres" {
  for_each = var.allowed_security_group_ids

  security_group_id            = aws_security_group.this.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  description                  = "PostgreSQL from ${each.key}"

  tags = {
    Name = "${local.identifier}-db-from-${each.key}"
  }
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${local.identifier}-"
  family      = local.parameter_group_family
  description = "PostgreSQL settings of ${local.identifier}"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  # Logs statements slower than one second.
  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  tags = {
    Name = "${local.identifier}-db"
  }

  # A new major version needs a new family: create it before the old one is released.
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_iam_role" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  # IAM is global and this module runs once per region: a prefix keeps the names unique.
  name_prefix        = "rds-monitoring-"
  description        = "Enhanced Monitoring of ${local.identifier}"
  assume_role_policy = data.aws_iam_policy_document.monitoring_assume_role[0].json

  tags = {
    Name = "${local.identifier}-db-monitoring"
  }
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  role       = aws_iam_role.monitoring[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_db_instance" "this" {
  # checkov:skip=CKV_AWS_157: multi_az is a per-environment cost choice (var.multi_az), on for prod.
  # checkov:skip=CKV_AWS_293: deletion protection is per environment (var.deletion_protection): on for prod, off where an environment is meant to be torn down.
  # checkov:skip=CKV_AWS_118: Enhanced Monitoring is opt-in through var.monitoring_interval.
  # checkov:skip=CKV_AWS_353: Performance Insights is opt-in (var.performance_insights_enabled); small classes lack it.
  identifier     = local.identifier
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class
  port           = local.port

  allocated_storage = var.allocated_storage
  storage_type      = "gp3"
  storage_encrypted = true

  # The password lives only in a Secrets Manager secret that RDS creates and rotates; it never
  # reaches the configuration, the plan or the state.
  username                    = "postgres"
  manage_master_user_password = true

  iam_database_authentication_enabled = true

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this.id]
  parameter_group_name   = aws_db_parameter_group.this.name
  publicly_accessible    = false
  multi_az               = var.multi_az

  backup_retention_period    = var.backup_retention_days
  copy_tags_to_snapshot      = true
  auto_minor_version_upgrade = true
  deletion_protection        = var.deletion_protection
  skip_final_snapshot        = false
  final_snapshot_identifier  = "${local.identifier}-final"

  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]

  performance_insights_enabled          = var.performance_insights_enabled
  performance_insights_retention_period = var.performance_insights_enabled ? 7 : null

  monitoring_interval = var.monitoring_interval
  monitoring_role_arn = var.monitoring_interval > 0 ? aws_iam_role.monitoring[0].arn : null

  tags = {
    Name = "${local.identifier}-db"
  }

  lifecycle {
    precondition {
      condition     = length(local.identifier) <= 63
      error_message = "The DB instance identifier \"${local.identifier}\" is ${length(local.identifier)} characters long; RDS allows 63. Shorten name or environment."
    }
  }

  depends_on = [aws_iam_role_policy_attachment.monitoring]
}
