"""The SageMaker scikit-learn serving image for a region (the AWS-owned ECR account differs per region).

The accounts are the public registries the SageMaker Python SDK lists for its ``sklearn`` framework
(``image_uri_config/sklearn.json``); they are the same for every framework version.
"""

from __future__ import annotations

#: Framework version of the image the demo's models reference.
SKLEARN_IMAGE_VERSION = "1.2-1"

#: AWS account that owns the ``sagemaker-scikit-learn`` ECR repository, per region.
SKLEARN_REGISTRIES = {
    "af-south-1": "510948584623",
    "ap-east-1": "651117190479",
    "ap-northeast-1": "354813040037",
    "ap-northeast-2": "366743142698",
    "ap-northeast-3": "867004704886",
    "ap-south-1": "720646828776",
    "ap-south-2": "628508329040",
    "ap-southeast-1": "121021644041",
    "ap-southeast-2": "783357654285",
    "ap-southeast-3": "951798379941",
    "ap-southeast-4": "106583098589",
    "ca-central-1": "341280168497",
    "cn-north-1": "450853457545",
    "cn-northwest-1": "451049120500",
    "eu-central-1": "492215442770",
    "eu-central-2": "680994064768",
    "eu-north-1": "662702820516",
    "eu-south-1": "978288397137",
    "eu-south-2": "104374241257",
    "eu-west-1": "141502667606",
    "eu-west-2": "764974769150",
    "eu-west-3": "659782779980",
    "me-central-1": "272398656194",
    "me-south-1": "801668240914",
    "sa-east-1": "737474898029",
    "us-east-1": "683313688378",
    "us-east-2": "257758044811",
    "us-gov-east-1": "237065988967",
    "us-gov-west-1": "414596584902",
    "us-west-1": "746614075791",
    "us-west-2": "246618743249",
}


def sklearn_image_uri(region: str) -> str:
    """ECR URI of the scikit-learn CPU serving image in ``region``; a clear error for a region without one."""
    try:
        account = SKLEARN_REGISTRIES[region]
    except KeyError:
        raise ValueError(
            f"The demo does not know the scikit-learn image registry of region {region!r}; "
            f"use one of: {', '.join(sorted(SKLEARN_REGISTRIES))}."
        ) from None
    domain = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"{account}.dkr.ecr.{region}.{domain}/sagemaker-scikit-learn:{SKLEARN_IMAGE_VERSION}-cpu-py3"
