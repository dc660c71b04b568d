package dev.fleetrun.local.sfn.path;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a path or an expression can see besides the state's input: the context object ({@code $$}) and the
 * workflow variables ({@code $name}). The context object is built only when something asks for it.
 *
 * @param context   supplies the context object of the state being run
 * @param variables looks up a variable by name; {@code null} when it is not defined
 */
public record Bindings(Supplier<JsonNode> context, Function<String, JsonNode> variables) {

    /** No context object (an empty one) and no variables: for evaluating outside an execution. */
    public static Bindings none() {
        return new Bindings(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance::objectNode, name -> null);
    }
}
