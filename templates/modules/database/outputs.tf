output "endpoint" {
  description = "Connection endpoint of the instance, as address:port."
  value       = aws_db_instance.this.endpoint
}

output "address" {
  description = "Hostname of the instance (the endpoint without the port)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port PostgreSQL listens on."
  value       = aws_db_instance.this.port
}

output "db_instance_id" {
  description = "DB instance identifier (e.g. acme-dev), as used by the AWS CLI and CloudWatch."
  value       = aws_db_instance.this.identifier
}

output "db_instance_resource_id" {
  description = "Immutable resource ID (db-...), the one IAM database authentication policies name."
  value       = aws_db_instance.this.resource_id
}

output "security_group_id" {
  description = "ID of the security group attached to the instance."
  value       = aws_security_group.this.id
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret, owned by RDS, that holds the master username and password."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}
