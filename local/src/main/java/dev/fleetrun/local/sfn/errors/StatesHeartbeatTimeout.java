package dev.fleetrun.local.sfn.errors;

/** {@code States.HeartbeatTimeout}: a Task sent no heartbeat for longer than its HeartbeatSeconds. */
public final class StatesHeartbeatTimeout extends AslError {

    private static final long serialVersionUID = 1L;

    /** The error name, as retriers and catchers spell it. */
    public static final String NAME = "States.HeartbeatTimeout";

    public StatesHeartbeatTimeout(String cause) {
        super(NAME, cause);
    }

}
