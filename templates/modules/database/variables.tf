variable "name" {
  type        = string
  description = "Name prefix for every resource (e.g. acme). Lowercase letters, digits and single hyphens, starting with a letter, 1-32 characters."

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$", var.name)) && !strcontains(var.name, "--")
    error_message = "name must be 1-32 lowercase letters, digits and single hyphens, start with a letter and not end with a hyphen (e.g. acme)."
  }
}

variable "environment" {
  type        = string
  description = "Environment name (e.g. dev, prod). Lowercase letters, digits and single hyphens, starting with a letter, 1-32 characters."

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$", var.environment)) && !strcontains(var.environment, "--")
    error_message = "environment must be 1-32 lowercase letters, digits and single hyphens, start with a letter and not end with a hyphen (e.g. dev)."
  }
}

variable "vpc_id" {
  type        = string
  description = "ID of the VPC the database runs in (the network module's vpc_id)."

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets for the DB subnet group (the network module's private_subnet_ids). AWS requires them to cover at least 2 availability zones, even for a single-AZ instance."

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs at least 2 subnets in different availability zones: AWS rejects a DB subnet group that covers only one (DBSubnetGroupDoesNotCoverEnoughAZs). Run the network module with az_count >= 2."
  }

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "subnet_ids must hold subnet IDs such as subnet-0123456789abcdef0."
  }
}

variable "allowed_security_group_ids" {
  type        = map(string)
  description = "Security groups allowed to reach PostgreSQL on 5432, keyed by a static label (e.g. { app = module.application.security_group_id }). A map, not a set, so that IDs created in the same apply can be passed: for_each keys must be known at plan time, values need not be."
  default     = {}

  validation {
    condition     = alltrue([for id in values(var.allowed_security_group_ids) : can(regex("^sg-[0-9a-f]+$", id))])
    error_message = "allowed_security_group_ids values must be security group IDs such as sg-0123456789abcdef0."
  }

  validation {
    condition     = alltrue([for key in keys(var.allowed_security_group_ids) : can(regex("^[a-z0-9][a-z0-9-]{0,62}$", key))])
    error_message = "allowed_security_group_ids keys must be short labels of lowercase letters, digits and hyphens (e.g. app)."
  }
}

variable "instance_class" {
  type        = string
  description = "RDS instance class (e.g. db.t4g.micro for dev, db.m7g.large for prod)."
  default     = "db.t4g.micro"

  validation {
    condition     = startswith(var.instance_class, "db.")
    error_message = "instance_class must be an RDS instance class starting with \"db.\" (e.g. db.t4g.micro), not an EC2 instance type."
  }
}

variable "multi_az" {
  type        = bool
  description = "Run a synchronous standby in a second availability zone. Recommended for prod; doubles the instance cost."
  default     = false
}

variable "allocated_storage" {
  type        = number
  description = "Allocated gp3 storage in GiB (20-65536)."
  default     = 20

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536 && floor(var.allocated_storage) == var.allocated_storage
    error_message = "allocated_storage must be a whole number of GiB from 20 to 65536."
  }
}

variable "engine_version" {
  type        = string
  description = "PostgreSQL version: a major version (e.g. 16, minor upgrades are applied automatically) or major.minor (e.g. 16.4). The parameter group family follows the major version."
  default     = "16"

  validation {
    condition     = can(regex("^[0-9]{2}(\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be a PostgreSQL major version such as 16, or major.minor such as 16.4."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to delete the instance until this is set to false and applied. Keep true outside throwaway environments."
  default     = true
}

variable "backup_retention_days" {
  type        = number
  description = "Days to keep automated backups (1-35)."
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35 && floor(var.backup_retention_days) == var.backup_retention_days
    error_message = "backup_retention_days must be a whole number from 1 to 35 (0 would switch automated backups off)."
  }
}

variable "performance_insights_enabled" {
  type        = bool
  description = "Turn on Performance Insights (7 days retention, free tier). Not available on every instance class (e.g. not on db.t4g.micro)."
  default     = false
}

variable "monitoring_interval" {
  type        = number
  description = "Enhanced Monitoring interval in seconds (0 switches it off; 1, 5, 10, 15, 30 or 60). When on, the module creates the IAM role RDS needs."
  default     = 0

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "monitoring_interval must be one of 0, 1, 5, 10, 15, 30, 60."
  }
}
