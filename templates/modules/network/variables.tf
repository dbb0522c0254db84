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
