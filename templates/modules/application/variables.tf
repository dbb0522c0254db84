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
  description = "ID of the VPC the instances run in (the network module's vpc_id)."

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Subnets the autoscaling group spreads instances over (usually the network module's private_subnet_ids)."

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "subnet_ids needs at least one subnet."
  }

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "subnet_ids must hold subnet IDs such as subnet-0123456789abcdef0."
  }
}

variable "instance_type" {
  type        = string
  description = "EC2 instance type. Must support x86_64: the AMI is Amazon Linux 2023 for x86_64 (so t3.micro, not t4g.micro)."
  default     = "t3.micro"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.instance_type)) && !startswith(var.instance_type, "db.")
    error_message = "instance_type must be an EC2 instance type such as t3.micro."
  }
}

variable "min_size" {
  type        = number
  description = "Minimum number of instances in the autoscaling group."
  default     = 1

  validation {
    condition     = var.min_size >= 0 && floor(var.min_size) == var.min_size
    error_message = "min_size must be a whole number, 0 or more."
  }
}

variable "max_size" {
  type        = number
  description = "Maximum number of instances in the autoscaling group (at least min_size)."
  default     = 2

  validation {
    condition     = var.max_size >= 1 && floor(var.max_size) == var.max_size
    error_message = "max_size must be a whole number, 1 or more."
  }
}

variable "desired_capacity" {
  type        = number
  description = "Number of instances to run; must lie between min_size and max_size."
  default     = 1

  validation {
    condition     = var.desired_capacity >= 0 && floor(var.desired_capacity) == var.desired_capacity
    error_message = "desired_capacity must be a whole number, 0 or more."
  }
}

variable "root_volume_size" {
  type        = number
  description = "Size of the encrypted gp3 root volume in GiB (at least the AMI's 8 GiB)."
  default     = 20

  validation {
    condition     = var.root_volume_size >= 8 && var.root_volume_size <= 16384 && floor(var.root_volume_size) == var.root_volume_size
    error_message = "root_volume_size must be a whole number of GiB from 8 to 16384."
  }
}
