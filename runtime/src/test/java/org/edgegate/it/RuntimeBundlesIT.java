package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/** The harness itself: the framework holds every bundle of the runtime, and every one is ACTIVE. */
@ExamReactorStrategy(PerClass.class)
public class RuntimeBundlesIT extends GatewayTestSupport {

    @Test
    public void everyRuntimeBundleIsActive() {
        List<Path> jars = runtimeBundles();
        assertTrue("the runtime holds the platform and our bundles: " + jars, jars.size() >= 20);
        List<String> notActive = new ArrayList<>();
        for (Path jar : jars) {
            String bsn = symbolicName(jar);
            Bundle bundle = bundleNamed(bsn);
            assertNotNull("installed: " + bsn + " from " + jar.getFileName(), bundle);
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (bundle.getState() != expected) {
                notActive.add(bsn + " state " + bundle.getState());
            }
        }
        assertEquals("bundles not ACTIVE", List.of(), notActive);
    }

    @Test
    public void runsInItsOwnHome() {
        assertTrue(home().startsWith(WORK.toAbsolutePath()));
        assertEquals(home().resolve("data").toString(), context.getProperty("edgegate.data"));
        assertNotNull(bundleNamed("org.edgegate.api"));
    }
}
