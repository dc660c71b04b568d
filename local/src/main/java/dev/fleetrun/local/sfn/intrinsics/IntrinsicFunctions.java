package dev.fleetrun.local.sfn.intrinsics;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every intrinsic function of the States Language, by name. */
public final class IntrinsicFunctions {

    private static final Map<String, IntrinsicFunction> BY_NAME = List.of(
                    new StatesFormat(), new StatesStringToJson(), new StatesJsonToString(), new StatesArray(),
                    new StatesArrayPartition(), new StatesArrayContains(), new StatesArrayRange(),
                    new StatesArrayGetItem(), new StatesArrayLength(), new StatesArrayUnique(),
                    new StatesBase64Encode(), new StatesBase64Decode(), new StatesHash(), new StatesJsonMerge(),
                    new StatesMathRandom(), new StatesMathAdd(), new StatesStringSplit(), new StatesUUID())
            .stream()
            .collect(Collectors.toMap(IntrinsicFunction::name, Function.identity(), (a, b) -> a, TreeMap::new));

    private IntrinsicFunctions() {
    }

    /** The function of that name, if there is one. */
    public static Optional<IntrinsicFunction> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Every function name, sorted (for messages and the feature page). */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }
}
