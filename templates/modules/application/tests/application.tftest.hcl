# Runs offline: `tofu init && tofu test` in modules/application. The aws provider is mocked, so
# no credentials and no cloud; computed values (IDs, ARNs) are made up by the mock.

mock_provider "aws" {
  mock_data "aws_ssm_parameter" {
    defaults = {
      insecure_value = "ami-0123456789abcdef0"
    }
  }

  mock_data "aws_ec2_instance_type" {
    defaults = {
      supported_architectures = ["i386", "x86_64"]
    }
  }

  # The autoscaling group checks the shape of the launch template's ID.
  mock_resource "aws_launch_template" {
    defaults = {
      id = "lt-0123456789abcdef0"
    }
  }

  mock_data "aws_default_tags" {
    defaults = {
      tags = {
        Project = "acme"
      }
    }
  }
}

variables {
  name        = "acme"
  environment = "dev"
  vpc_id      = "vpc-0123456789abcdef0"
  subnet_ids  = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
}

run "instances_are_locked_down" {
  assert {
    condition     = aws_launch_template.this.metadata_options[0].http_tokens == "required" && aws_launch_template.this.metadata_options[0].http_put_response_hop_limit == 1
    error_message = "Instances must require IMDSv2 with a hop limit of 1."
  }

  assert {
    condition     = aws_launch_template.this.block_device_mappings[0].ebs[0].encrypted == "true"
    error_message = "The root volume must be encrypted."
  }

  assert {
    condition     = aws_launch_template.this.image_id == "ami-0123456789abcdef0"
    error_message = "The AMI comes from the public Amazon Linux 2023 SSM parameter."
  }

  assert {
    condition     = length(aws_security_group.this.ingress) == 0
    error_message = "Nothing may reach the instances from outside."
  }
}

run "default_tags_reach_launched_instances" {
  assert {
    condition     = { for t in aws_autoscaling_group.this.tag : t.key => t.value if t.propagate_at_launch } == { Project = "acme", Name = "acme-dev-app" }
    error_message = "The provider's default tags and Name are copied onto what the group launches."
  }
}

run "outputs_name_the_group_and_its_security_group" {
  assert {
    condition     = output.autoscaling_group_name == "acme-dev-app" && output.security_group_id == aws_security_group.this.id
    error_message = "Outputs describe the autoscaling group and its security group."
  }

  assert {
    condition     = aws_autoscaling_group.this.vpc_zone_identifier == toset(var.subnet_ids)
    error_message = "The group spreads over the given subnets."
  }
}

run "an_arm_instance_type_stops_the_plan" {
  command = plan

  variables {
    instance_type = "t4g.micro"
  }

  override_data {
    target = data.aws_ec2_instance_type.this
    values = {
      supported_architectures = ["arm64"]
    }
  }

  expect_failures = [aws_launch_template.this]
}

run "desired_capacity_above_max_stops_the_plan" {
  command = plan

  variables {
    min_size         = 1
    max_size         = 2
    desired_capacity = 3
  }

  expect_failures = [aws_autoscaling_group.this]
}

run "rejects_an_rds_instance_class" {
  command = plan

  variables {
    instance_type = "db.t3.micro"
  }

  expect_failures = [var.instance_type]
}

run "rejects_no_subnets" {
  command = plan

  variables {
    subnet_ids = []
  }

  expect_failures = [var.subnet_ids]
}

run "rejects_what_is_not_a_vpc" {
  command = plan

  variables {
    vpc_id = "subnet-0123456789abcdef0"
  }

  expect_failures = [var.vpc_id]
}

run "rejects_a_root_volume_smaller_than_the_ami" {
  command = plan

  variables {
    root_volume_size = 4
  }

  expect_failures = [var.root_volume_size]
}

run "rejects_a_negative_min_size" {
  command = plan

  variables {
    min_size = -1
  }

  expect_failures = [var.min_size]
}
