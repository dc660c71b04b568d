package dev.fleetrun.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * cfn-lint on every template the template tests synthesize, each for its own Region (us-east-1 for an
 * environment-agnostic one, cfn-lint's default), with no finding but the ones {@link CfnLint} explains. Where
 * cfn-lint is not installed the test is skipped with a message; under {@code CI=true} it must run.
 */
class CfnLintTest {

    @ParameterizedTest
    @ValueSource(strings = {"configured", "defaults", "defaults-eu-west-1", "configured-cn-north-1"})
    void synthesizedTemplatePassesCfnLintForItsRegion(String name) {
        CfnLint.requireExecutable();
        Synthesized s = Synthesized.named(name);
        String region = s.environment.getRegion() == null ? "us-east-1" : s.environment.getRegion();
        assertEquals(List.of(), CfnLint.findings(s.templateFile, region));
    }
}
