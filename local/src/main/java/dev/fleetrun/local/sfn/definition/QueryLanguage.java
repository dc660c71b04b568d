package dev.fleetrun.local.sfn.definition;

/** The two query languages of the States Language: JSONPath (the default) and JSONata. */
public enum QueryLanguage {
    JSONPath, JSONata;

    /** The language named by a {@code QueryLanguage} field, or {@code null} for an unknown name. */
    public static QueryLanguage named(String name) {
        for (QueryLanguage language : values()) {
            if (language.name().equals(name)) {
                return language;
            }
        }
        return null;
    }
}
