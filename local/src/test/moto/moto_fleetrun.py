"""Runs moto's server (moto 5.2.1) as a second opinion: on Step Functions for fleetrun's differential tests
(local/), and on CloudFormation for the deploy rehearsal of the CDK stack (infra/, DeployRehearsalTest).

    python3 moto_fleetrun.py [-H 127.0.0.1] [-p PORT]

Before serving it turns on what the differential run needs, and patches three bugs of moto 5.2.1 in process
(nothing on disk changes); the first two are known, the third was found by the differential run:

1. StartExecution fails with HTTP 500, "cannot pickle '_thread.RLock'", once any execution has run
   (https://github.com/getmoto/moto/issues/10077, fixed upstream after 5.2.1). StartExecution deep-copies
   the state machine, and with it the executions it reaches (its own, and every other machine's through its
   `backend` field), whose worker threads hold locks. The patched copy shares the backend and gets empty
   lists of executions, as upstream's fix does.
2. An execution started without a name gets the name "None". AWS names it with a UUID; so does the patch.
3. DescribeExecution returns an execution's output as JSON text, except a string output, which it returns
   bare (an output "yes" comes back as yes, not "yes"), so a client cannot read it. The patch encodes it.

And it fills two gaps of moto 5.2.1's CloudFormation that the deploy rehearsal found, without which the fleetrun
stack cannot be created at all (everything else moto lacks is left as it is, and listed in infra/README.md):

4. AWS::Lambda::Alias is not a CloudFormation type moto knows: it skips the resource, so a Ref to it is empty, and an
   IAM statement whose Resource is that Ref is refused ("Policy statement must contain resources"). The patch adds
   the type on moto's own Lambda alias API (create, update, delete), its Ref the alias ARN, as CloudFormation's is.
5. AWS::Lambda::Version answers no Fn::GetAtt, and an alias takes its version from GetAtt Version. The patch
   answers Version (the published version number, as text).

Then it starts moto's own server (moto.server.main), bound to 127.0.0.1 unless told otherwise.
"""

import copy
import json
import sys
import uuid

import moto
from moto.awslambda.models import LambdaVersion, lambda_backends
from moto.cloudformation import parsing as cloudformation_parsing
from moto.core.common_models import CloudFormationModel
from moto.core.config import default_user_config
from moto.server import main as moto_server_main
from moto.stepfunctions.parser import models as parser_models
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from moto.stepfunctions.responses import StepFunctionResponse

# What POST /moto-api/config with {"stepfunctions":{"execute_state_machine":true},"lambda":{"use_docker":false}}
# would set, set before the first request: definitions really execute, and Lambda echoes its payload.
default_user_config["stepfunctions"]["execute_state_machine"] = True
default_user_config["lambda"]["use_docker"] = False


class _DeepcopyWithoutExecutions:
    """Stands in for the `copy` module inside moto's parser models (bug 1): its deepcopy of a state machine
    shares the backend and leaves out the executions of the machine and of its versions."""

    @staticmethod
    def deepcopy(machine):
        memo = {}  # deepcopy takes what its memo holds for an object as that object's copy
        if getattr(machine, "backend", None) is not None:
            memo[id(machine.backend)] = machine.backend
        for instance in [machine, *getattr(machine, "versions", {}).values()]:
            memo[id(instance.executions)] = []
        return copy.deepcopy(machine, memo)


parser_models.copy = _DeepcopyWithoutExecutions

_start_execution = StepFunctionsParserBackend.start_execution


def _start_execution_named(self, state_machine_arn, name=None, execution_input=None, trace_header=None):
    """StartExecution that names an unnamed execution with a UUID, as AWS does (bug 2)."""
    return _start_execution(self, state_machine_arn, name or str(uuid.uuid4()), execution_input, trace_header)


StepFunctionsParserBackend.start_execution = _start_execution_named

_describe_execution = StepFunctionResponse.describe_execution


def _describe_execution_output_as_json(self):
    """DescribeExecution whose output is always JSON text (bug 3). The executing backend keeps an output as a
    value, so a str there is a JSON string, not JSON text."""
    response = _describe_execution(self)
    execution = self.stepfunction_backend.describe_execution(self._get_param("executionArn"))
    if isinstance(self.stepfunction_backend, StepFunctionsParserBackend) and isinstance(execution.output, str):
        response.result["output"] = json.dumps(execution.output)
    return response


StepFunctionResponse.describe_execution = _describe_execution_output_as_json


class CloudFormationLambdaAlias(CloudFormationModel):
    """AWS::Lambda::Alias for moto's CloudFormation (gap 4), kept in moto's Lambda backend as CreateAlias keeps it."""

    __module__ = "moto.awslambda.models"  # moto files every model under the service its module names

    def __init__(self, alias, function_name):
        self.alias = alias
        self.function_name = function_name

    @staticmethod
    def cloudformation_name_type():
        return ""  # an alias has no generated name: Name is required

    @staticmethod
    def cloudformation_type():
        return "AWS::Lambda::Alias"

    @property
    def physical_resource_id(self):
        return self.alias.arn

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr == "AliasArn"

    def get_cfn_attribute(self, attribute_name):
        if attribute_name == "AliasArn":
            return self.alias.arn
        raise NotImplementedError(f"AWS::Lambda::Alias has no attribute {attribute_name}")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        alias = lambda_backends[account_id][region_name].create_alias(
            properties["Name"], properties["FunctionName"], str(properties["FunctionVersion"]),
            properties.get("Description", ""), properties.get("RoutingConfig"))
        return cls(alias, properties["FunctionName"])

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id,
                                        region_name):
        properties = cloudformation_json["Properties"]
        backend = lambda_backends[account_id][region_name]
        if properties["FunctionName"] != original_resource.function_name or properties["Name"] != original_resource.alias.name:
            original_resource.delete(account_id, region_name)  # a new function or name replaces the alias
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
        backend.update_alias(properties["Name"], properties["FunctionName"], str(properties["FunctionVersion"]),
                             properties.get("Description", ""), properties.get("RoutingConfig"))
        return original_resource

    def delete(self, account_id, region_name):
        try:
            lambda_backends[account_id][region_name].delete_alias(self.alias.name, self.function_name)
        except Exception:  # the stack deleted the function first: its aliases went with it
            pass


def _lambda_version_attribute(self, attribute_name):
    """Fn::GetAtt on AWS::Lambda::Version (gap 5)."""
    if attribute_name == "Version":
        return str(self.version)
    raise NotImplementedError(f"AWS::Lambda::Version has no attribute {attribute_name}")


LambdaVersion.get_cfn_attribute = _lambda_version_attribute
# moto lists its CloudFormation types once, from CloudFormationModel's subclasses: list them again with the alias.
cloudformation_parsing.get_model_list.cache_clear()
cloudformation_parsing.get_model_map.cache_clear()
cloudformation_parsing.get_name_type_map.cache_clear()

if __name__ == "__main__":
    if moto.__version__ != "5.2.1":
        print(f"moto_fleetrun: the patches were written for moto 5.2.1, this is {moto.__version__}", file=sys.stderr)
    args = sys.argv[1:]
    if "-H" not in args and "--host" not in args:
        args = ["-H", "127.0.0.1"] + args
    moto_server_main(args)
