package dev.fleetrun.domain;

/**
 * The operating system family of a managed node, as SSM's {@code PlatformType} names it. It decides which
 * shell document runs {@code commands} and which nodes a document can run on ({@link TargetResolver}).
 */
public enum Platform {
    LINUX("Linux"), WINDOWS("Windows"), MACOS("MacOS");

    private final String ssmName;

    Platform(String ssmName) {
        this.ssmName = ssmName;
    }

    /** SSM's spelling: {@code Linux}, {@code Windows} or {@code MacOS}. */
    public String ssmName() {
        return ssmName;
    }

    /**
     * Reads SSM's {@code PlatformType} ({@code "Linux"}, {@code "Windows"}, {@code "MacOS"}), ignoring case.
     *
     * @throws IllegalArgumentException naming the value when it is none of those
     */
    public static Platform fromSsm(String platformType) {
        for (Platform p : values()) {
            if (p.ssmName.equalsIgnoreCase(platformType)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown SSM platform type \"" + platformType
                + "\" (expected Linux, Windows or MacOS)");
    }
}
