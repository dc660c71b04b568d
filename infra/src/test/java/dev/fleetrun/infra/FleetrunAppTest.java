package dev.fleetrun.infra;

import dev.fleetrun.catalog.ConfigurationException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.fleetrun.catalog.jobs.JobsFile;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/** The app refuses to synthesize a deployment it cannot make, saying what to fix. */
class FleetrunAppTest {

    private static App app(Map<String, Object> context) {
        return new App(AppProps.builder().context(context).outdir(Synthesized.TARGET.resolve("cdk.out-refused").toString()).build());
    }

    @Test
    void aBadJobsFileFailsTheSynthNamingTheJobAndTheField() {
        App app = app(Map.of(FleetrunSettings.Keys.JOBS_FILE,
                Synthesized.TEST_RESOURCES.resolve("jobs/bad-schedule.json").toString()));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> FleetrunApp.build(app, Synthesized.ROOT, FleetrunApp.agnostic(), FleetrunApp::functionsJar));
        assertEquals("job 'nightly-uptime': field 'schedule'", e.problems().get(0).substring(0, e.problems().get(0).indexOf("': '") + 1));
    }

    @Test
    void aMissingLambdaJarSaysHowToBuildIt() {
        App app = app(Map.of(FleetrunSettings.Keys.FUNCTIONS_JAR, "/nonexistent/fleetrun-functions-lambda.jar"));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> FleetrunApp.build(app, Synthesized.ROOT, FleetrunApp.agnostic(), FleetrunApp::functionsJar));
        assertEquals(List.of("the Lambda jar /nonexistent/fleetrun-functions-lambda.jar does not exist; build it with"
                + " ./dev build (or give its path with -c functionsJar=...)"), e.problems());
    }

    @Test
    void findsTheRepositoryFromTheRootProperty() {
        assertEquals(Synthesized.ROOT, FleetrunApp.repositoryRoot());
    }

    @Test
    void theRepositorysOwnJobsFileIsValid() {
        FleetrunSettings settings = FleetrunSettings.fromContext(k -> null, Synthesized.ROOT.resolve("infra"), Path.of("x.jar"));
        assertEquals(List.of(), JobsFile.read(settings.jobsFile(), FleetrunApp.requestCheck(settings)));
    }
}
