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

variable "vpc_cidr" {
  type        = string
  description = "IPv4 CIDR block of the VPC, prefix length /16 to /24 (e.g. 10.0.0.0/16). Each subnet gets 4 more prefix bits (a /16 gives /20 subnets)."

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && can(regex("^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$", var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR block such as 10.0.0.0/16."
  }

  validation {
    condition     = try(tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 24, false)
    error_message = "vpc_cidr must have a prefix length between /16 and /24 (AWS allows /16 to /28 for a VPC; /24 is the smallest that still fits 12 subnets of /28)."
  }

  validation {
    condition     = try(cidrhost(var.vpc_cidr, 0) == split("/", var.vpc_cidr)[0], false)
    error_message = "vpc_cidr must start at its network address (e.g. 10.0.0.0/16, not 10.0.1.0/16)."
  }
}

variable "az_count" {
  type        = number
  description = "Number of availability zones to spread the subnets over (1-6). Each zone gets one public and one private subnet. Use at least 2 when the database module runs in this network: RDS needs subnets in 2 zones."
  default     = 2

  validation {
    condition     = var.az_count >= 1 && var.az_count <= 6 && floor(var.az_count) == var.az_count
    error_message = "az_count must be a whole number from 1 to 6."
  }
}

variable "enable_nat_gateway" {
  type        = bool
  description = "Create one NAT gateway (in the first public subnet) so private subnets reach the internet. Off by default to keep dev cheap: private subnets then have no outbound internet access."
  default     = false
}

variable "enable_flow_logs" {
  type        = bool
  description = "Record the VPC's IP traffic (flow logs, all traffic) in a CloudWatch log group of its own. CloudWatch charges for the ingested volume."
  default     = true
}

variable "flow_logs_retention_days" {
  type        = number
  description = "Days CloudWatch keeps the flow logs; one of the periods CloudWatch Logs offers (e.g. 30, 90, 365). One year by default, as audits usually ask."
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_logs_retention_days)
    error_message = "flow_logs_retention_days must be a period CloudWatch Logs offers: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "flow_logs_kms_key_arn" {
  type        = string
  description = "ARN of a KMS key that encrypts the flow log group (its key policy must allow logs.<region>.amazonaws.com). Null: CloudWatch Logs' own encryption."
  default     = null

  validation {
    condition     = var.flow_logs_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.flow_logs_kms_key_arn))
    error_message = "flow_logs_kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab."
  }
}
