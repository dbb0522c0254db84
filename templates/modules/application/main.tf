resource "aws_security_group" "this" {
  name        = "${local.name_prefix}-app"
  description = "Application instances of ${local.name_prefix}"
  vpc_id      = var.vpc_id

  tags = {
    Name = "${local.name_prefix}-app"
  }
}

# Package repositories and AWS APIs have no fixed addresses, so egress stays open.
resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.this.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
  description       = "All outbound traffic"

  tags = {
    Name = "${local.name_prefix}-app-egress"
  }
}

resource "aws_launch_template" "this" {
  name                   = "${local.name_prefix}-app"
  description            = "Application instances of ${local.name_prefix}"
  image_id               = data.aws_ssm_parameter.al2023.insecure_value
  instance_type          = var.instance_type
  vpc_security_group_ids = [aws_security_group.this.id]
  update_default_version = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = var.root_volume_size
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = local.launched_tags
  }

  tag_specifications {
    resource_type = "volume"
    tags          = local.launched_tags
  }

  tags = {
    Name = "${local.name_prefix}-app"
  }

  lifecycle {
    precondition {
      condition     = contains(data.aws_ec2_instance_type.this.supported_architectures, "x86_64")
      error_message = "instance_type ${var.instance_type} does not run x86_64, but the AMI is Amazon Linux 2023 for x86_64. Pick an x86_64 type such as t3.micro."
    }
  }
}

resource "aws_autoscaling_group" "this" {
  name                      = "${local.name_prefix}-app"
  vpc_zone_identifier       = var.subnet_ids
  min_size                  = var.min_size
  max_size                  = var.max_size
  desired_capacity          = var.desired_capacity
  health_check_type         = "EC2"
  health_check_grace_period = 300

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  # A new launch template version (e.g. a new AMI) replaces instances a few at a time.
  instance_refresh {
    strategy = "Rolling"

    preferences {
      min_healthy_percentage = 50
    }
  }

  dynamic "tag" {
    for_each = local.launched_tags

    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }

  lifecycle {
    precondition {
      condition     = var.min_size <= var.desired_capacity && var.desired_capacity <= var.max_size
      error_message = "Need min_size <= desired_capacity <= max_size, got min_size = ${var.min_size}, desired_capacity = ${var.desired_capacity}, max_size = ${var.max_size}."
    }
  }
}
