package dev.fleetrun.local.sfn.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.errors.StatesIntrinsicFailure;
import dev.fleetrun.local.sfn.json.Json;
import java.util.List;

/**
 * One intrinsic function of the States Language ({@code States.Format}, {@code States.ArrayPartition}, ...).
 * A function declares its arguments as a {@link Signature}; the checks against it (how many, of which kind)
 * happen here, in one place, before {@link #apply} sees them. Failures are {@code States.IntrinsicFailure}
 * errors that name the function and the argument.
 */
public abstract class IntrinsicFunction {

    /** The name as written in a definition, such as {@code States.Format}. */
    public abstract String name();

    /** The argument rules. */
    public abstract Signature signature();

    /** Computes the result from arguments that already satisfy the signature. */
    protected abstract JsonNode apply(IntrinsicArguments args);

    /** Checks the arguments against the signature, then applies the function. */
    public final JsonNode invoke(List<JsonNode> values, List<String> literalSources) {
        checkCount(values.size());
        for (int i = 0; i < values.size(); i++) {
            Param param = signature().param(i);
            JsonNode value = values.get(i);
            if (!param.type().accepts(value)) {
                throw failure("argument " + (i + 1) + " (" + param.name() + ") must be " + param.type().description()
                        + ", got " + Json.typeName(value) + " " + Json.excerpt(value));
            }
        }
        return apply(new IntrinsicArguments(values, literalSources));
    }

    /**
     * Checks the number of arguments.
     *
     * @throws StatesIntrinsicFailure when the count is wrong
     */
    public final void checkCount(int count) {
        Signature signature = signature();
        if (count < signature.minArgs() || count > signature.maxArgs()) {
            throw failure("takes " + signature.arity() + " argument" + (signature.maxArgs() == 1 ? "" : "s")
                    + ", got " + count);
        }
    }

    /** A States.IntrinsicFailure naming this function. */
    protected final StatesIntrinsicFailure failure(String why) {
        return new StatesIntrinsicFailure(name() + ": " + why);
    }
}
