# Runs offline: `tofu init && tofu test` in modules/network. The aws provider is mocked, so no
# credentials and no cloud; computed values (IDs, ARNs) are made up by the mock.

mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = {
      names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    }
  }

  # The flow log checks the shape of the ARNs it is given.
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc-flow-logs/acme-dev"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/vpc-flow-logs-0123"
    }
  }

  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{}"
    }
  }
}

variables {
  name        = "acme"
  environment = "dev"
  vpc_cidr    = "10.0.0.0/16"
}

run "subnets_fall_inside_the_vpc_cidr" {
  variables {
    az_count = 3
  }

  assert {
    condition     = alltrue([for s in concat(aws_subnet.public, aws_subnet.private) : contains([for i in range(16) : cidrsubnet(var.vpc_cidr, 4, i)], s.cidr_block)])
    error_message = "Every subnet must be one of the 16 blocks of the VPC CIDR."
  }

  assert {
    condition     = length(distinct([for s in concat(aws_subnet.public, aws_subnet.private) : s.cidr_block])) == 6
    error_message = "Subnets must not overlap: 3 zones need 6 distinct blocks."
  }

  assert {
    condition     = [for s in aws_subnet.private : s.cidr_block] == ["10.0.128.0/20", "10.0.144.0/20", "10.0.160.0/20"]
    error_message = "Private subnets take blocks 8-13 of the VPC CIDR, so raising az_count never renumbers one."
  }
}

run "outputs_follow_az_count" {
  variables {
    az_count = 2
  }

  assert {
    condition     = output.availability_zones == tolist(["eu-west-1a", "eu-west-1b"])
    error_message = "The first az_count zones of the sorted list are used."
  }

  assert {
    condition     = length(output.private_subnet_ids) == 2 && length(output.public_subnet_ids) == 2
    error_message = "One public and one private subnet per zone."
  }

  assert {
    condition     = output.vpc_id == aws_vpc.this.id && output.vpc_cidr == "10.0.0.0/16"
    error_message = "vpc_id and vpc_cidr describe the VPC."
  }
}

run "safe_defaults" {
  assert {
    condition     = length(aws_default_security_group.this.ingress) == 0 && length(aws_default_security_group.this.egress) == 0
    error_message = "The VPC's default security group must allow nothing."
  }

  assert {
    condition     = alltrue([for s in aws_subnet.public : s.map_public_ip_on_launch == false])
    error_message = "Public subnets must not hand out public IPs on launch."
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 0 && length(aws_route.private_nat) == 0
    error_message = "No NAT gateway (and no cost) unless asked for."
  }

  assert {
    condition     = length(aws_flow_log.this) == 1 && aws_flow_log.this[0].traffic_type == "ALL" && aws_flow_log.this[0].log_destination == aws_cloudwatch_log_group.flow_logs[0].arn
    error_message = "Flow logs of all traffic go to the module's log group."
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_logs[0].retention_in_days == 365
    error_message = "Flow logs are kept for a year by default."
  }
}

run "nat_gateway_when_asked" {
  variables {
    enable_nat_gateway = true
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1 && aws_nat_gateway.this[0].subnet_id == aws_subnet.public[0].id
    error_message = "One NAT gateway, in the first public subnet."
  }

  assert {
    condition     = aws_route.private_nat[0].nat_gateway_id == aws_nat_gateway.this[0].id
    error_message = "Private subnets route to the internet through the NAT gateway."
  }
}

run "too_few_zones_stop_the_plan" {
  command = plan

  variables {
    az_count = 4
  }

  expect_failures = [data.aws_availability_zones.available]
}

run "rejects_a_cidr_not_at_its_network_address" {
  command = plan

  variables {
    vpc_cidr = "10.0.1.0/16"
  }

  expect_failures = [var.vpc_cidr]
}

run "rejects_a_prefix_outside_16_to_24" {
  command = plan

  variables {
    vpc_cidr = "10.0.0.0/8"
  }

  expect_failures = [var.vpc_cidr]
}

run "rejects_what_is_not_a_cidr" {
  command = plan

  variables {
    vpc_cidr = "10.0.0.0"
  }

  expect_failures = [var.vpc_cidr]
}

run "rejects_az_count_out_of_range" {
  command = plan

  variables {
    az_count = 7
  }

  expect_failures = [var.az_count]
}

run "rejects_an_invalid_name" {
  command = plan

  variables {
    name        = "Acme--"
    environment = "prod-"
  }

  expect_failures = [var.name, var.environment]
}

run "rejects_a_retention_cloudwatch_does_not_offer" {
  command = plan

  variables {
    flow_logs_retention_days = 42
  }

  expect_failures = [var.flow_logs_retention_days]
}
