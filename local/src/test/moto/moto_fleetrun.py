"""Runs moto's server (moto 5.2.1) as a second opinion on Step Functions, for fleetrun's differential tests.

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

Then it starts moto's own server (moto.server.main), bound to 127.0.0.1 unless told otherwise.
"""

import copy
import json
import sys
import uuid

import moto
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

if __name__ == "__main__":
    if moto.__version__ != "5.2.1":
        print(f"moto_fleetrun: the patches were written for moto 5.2.1, this is {moto.__version__}", file=sys.stderr)
    args = sys.argv[1:]
    if "-H" not in args and "--host" not in args:
        args = ["-H", "127.0.0.1"] + args
    moto_server_main(args)
