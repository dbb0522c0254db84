data "aws_availability_zones" "available" {
  # checkov:skip=CKV_AWS_394: new zones get later letters and only the first az_count of the sorted list are used, so existing subnets stay put.
  state = "available"

  lifecycle {
    postcondition {
      condition     = length(self.names) >= var.az_count
      error_message = "az_count is ${var.az_count}, but this region has only ${length(self.names)} available availability zones."
    }
  }
}
