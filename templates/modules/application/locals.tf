locals {
  name_prefix = "${var.name}-${var.environment}"

  launched_tags = merge(data.aws_default_tags.this.tags, {
    Name = "${local.name_prefix}-app"
  })
}
