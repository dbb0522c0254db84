locals {
  identifier = "${var.name}-${var.environment}"
  port       = 5432

  # "16" and "16.4" both belong to the postgres16 parameter group family.
  parameter_group_family = "postgres${split(".", var.engine_version)[0]}"
}
