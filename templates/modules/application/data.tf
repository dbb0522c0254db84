# Resolved at plan time, so each apply after an AMI release rolls the instances onto it.
data "aws_ssm_parameter" "al2023" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

data "aws_ec2_instance_type" "this" {
  instance_type = var.instance_type
}

# Provider default_tags do not reach instances and volumes an autoscaling group launches,
# so they are copied onto the launch template's tag specifications and the group's tags.
data "aws_default_tags" "this" {}
