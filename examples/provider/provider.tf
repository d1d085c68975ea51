# Credentials and region follow the aws provider: this block, then the AWS_* environment
# variables, then the shared config and credentials files, then container and instance roles.
provider "sagemaker" {
  region = "us-east-2"
}

# Assume a role for purchases, and reach SageMaker through a VPC endpoint behind a private CA.
provider "sagemaker" {
  alias   = "capacity"
  region  = "us-east-2"
  profile = "platform"

  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/gpu-capacity-buyer"
    session_name = "terraform"
  }

  endpoints {
    sagemaker = "https://vpce-0123456789abcdef0-abcdefgh.api.sagemaker.us-east-2.vpce.amazonaws.com"
  }
  custom_ca_bundle = "/etc/ssl/certs/corporate-ca.pem"
}
