output "security_group_id" {
  description = "ID of the instances' security group (pass it to the database module's allowed_security_group_ids)."
  value       = aws_security_group.this.id
}

output "autoscaling_group_name" {
  description = "Name of the autoscaling group."
  value       = aws_autoscaling_group.this.name
}

output "launch_template_id" {
  description = "ID of the launch template."
  value       = aws_launch_template.this.id
}
