package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code ./fleetrun --help} (the launcher's own usage) and the Java help say the same exit codes and environment. */
class LauncherHelpComponentTest {

    @Test
    void theLauncherHelpListsEveryExitCodeAndEnvironmentVariableAsTheJavaHelpDoes() throws Exception {
        Process p = new ProcessBuilder(ServeProcess.ROOT.resolve("fleetrun").toString(), "--help")
                .directory(ServeProcess.ROOT.toFile()).redirectErrorStream(true).start();
        String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), help);
        assertTrue(flat(help).contains(flat(ExitCode.HELP)), "the launcher's usage has ExitCode.HELP:\n" + help);
        assertTrue(flat(help).contains(flat(Environment.HELP)), "the launcher's usage has Environment.HELP:\n" + help);
        for (java.lang.reflect.Field f : ExitCode.class.getFields()) {
            if (f.getType() == int.class) {
                assertTrue(ExitCode.HELP.contains(f.getInt(null) + " "), "ExitCode.HELP names " + f.getName());
            }
        }
        String readme = flat(Files.readString(ServeProcess.ROOT.resolve("README.md")));
        for (String variable : new String[] {"FLEETRUN_HOME", "FLEETRUN_ENDPOINT", "AWS_PROFILE", "FLEETRUN_JAVA_OPTS",
                "FLEETRUN_FULL_CLASSPATH", "JAVA_HOME", "TERM", "COLUMNS"}) {
            assertTrue(flat(Environment.HELP).contains(variable), "Environment.HELP names " + variable);
            assertTrue(readme.contains("`" + variable), "README.md names " + variable);
        }
    }

    private static String flat(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}
