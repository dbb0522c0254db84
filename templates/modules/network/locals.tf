locals {
  name_prefix = "${var.name}-${var.environment}"

  # Zones are taken in the order the API returns them (sorted), so raising az_count only adds subnets.
  azs = slice(data.aws_availability_zones.available.names, 0, var.az_count)

  # The VPC is cut into 16 equal blocks: public subnets use blocks 0-5, private subnets 8-13.
  # A subnet's block depends only on its zone index, so changing az_count never renumbers one.
  subnet_newbits        = 4
  public_subnet_offset  = 0
  private_subnet_offset = 8
}
