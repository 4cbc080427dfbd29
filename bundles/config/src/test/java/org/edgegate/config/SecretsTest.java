package org.edgegate.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class SecretsTest {
    @interface Sample {
        String user() default "";

        String _password() default "";
    }

    private final List<String> warnings = new ArrayList<>();

    @Test
    public void thePrivateKeyWinsSilently() {
        assertEquals("new", Secrets.value(Map.of(".password", "new", "password", "old"), "password", warnings::add));
        assertTrue(warnings.isEmpty());
        assertEquals("", Secrets.value(Map.of(), "password", warnings::add));
        assertTrue(warnings.isEmpty());
    }

    @Test
    public void theOldPublicKeyStillWorksWithAWarningThatNamesTheRename() {
        assertEquals("old", Secrets.value(Map.of("password", "old", "service.pid", "org.x~a"), "password",
                warnings::add));
        assertEquals(1, warnings.size());
        String w = warnings.get(0);
        assertTrue(w, w.contains("org.x~a") && w.contains("'password' is deprecated") && w.contains("'.password'"));
        assertTrue("the warning never shows the secret: " + w, !w.contains("old"));
    }

    @Test
    public void theTypedConfigurationAnswersTheOldKeyThroughItsPrivateAccessor() {
        Sample configured = TypedConfig.of(Sample.class, Map.of("user", "u", "password", "old"));
        Sample s = Secrets.withLegacy(Sample.class, configured, Map.of("user", "u", "password", "old"), "password",
                warnings::add);
        assertEquals("old", s._password());
        assertEquals("u", s.user());
        assertEquals(1, warnings.size());
    }
}
