package org.edgegate.etc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.BundleContext;

public class EtcFolderTest {
    @Rule
    public TemporaryFolder dir = new TemporaryFolder();

    private EtcFolder folder(Path etc) throws Exception {
        BundleContext context = (BundleContext) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { BundleContext.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return switch ((String) args[0]) {
                            case EtcFolder.ENABLE_CONFIG_SAVE -> "false";
                            case EtcFolder.DIR -> etc.toString();
                            default -> null;
                        };
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return EtcFolder.of(context);
    }

    @Test
    public void fileNamesAreThoseFileInstallMapsBackToTheSamePid() throws Exception {
        Path etc = dir.newFolder("etc").toPath().toRealPath();
        EtcFolder folder = folder(etc);
        assertEquals(etc.resolve("org.edgegate.logging.cfg"), folder.named("org.edgegate.logging", null));
        assertEquals(etc.resolve("org.edgegate.camera-demo.cfg"), folder.named("org.edgegate.camera~demo", "org.edgegate.camera"));
        assertNull("File Install would split it at the '-'", folder.named("org.foo-bar", null));
        assertNull("a generated PID", folder.named("org.edgegate.camera.1234", "org.edgegate.camera"));
        // A configuration the Web Console created: named after its id, unless that file is taken.
        java.util.function.Predicate<Path> there = Files::exists;
        assertEquals(etc.resolve("org.edgegate.camera-front.cfg"), folder.fresh("org.edgegate.camera.ab-12", "org.edgegate.camera", "front", there));
        Files.writeString(etc.resolve("org.edgegate.camera-front.cfg"), "id = front\n");
        assertEquals(etc.resolve("org.edgegate.camera-ab-12.cfg"), folder.fresh("org.edgegate.camera.ab-12", "org.edgegate.camera", "front", there));
        assertEquals(etc.resolve("org.edgegate.camera-ab-12.cfg"), folder.fresh("org.edgegate.camera.ab-12", "org.edgegate.camera", "../x", there));
        // A name with a stand-in (a file just deleted, StandIns) is taken too, though no file is there.
        assertEquals(etc.resolve("org.edgegate.camera-ab-12.cfg"), folder.fresh("org.edgegate.camera.ab-12", "org.edgegate.camera", "back",
                f -> f.getFileName().toString().equals("org.edgegate.camera-back.cfg")));
    }

    @Test
    public void aFileRecordedInAnotherInstallationIsNeverOurs() throws Exception {
        Path etc = dir.newFolder("copy", "etc").toPath().toRealPath();
        EtcFolder folder = folder(etc);
        Hashtable<String, Object> original = new Hashtable<>();
        original.put(EtcFolder.FILENAME, EtcFolder.key(dir.getRoot().toPath().resolve("original/etc/org.edgegate.logging.cfg")));
        assertNull(folder.recorded(original));
        assertEquals(true, folder.recordedElsewhere(original));
        Hashtable<String, Object> ours = new Hashtable<>();
        ours.put(EtcFolder.FILENAME, EtcFolder.key(etc.resolve("org.edgegate.logging.cfg")));
        assertEquals(etc.resolve("org.edgegate.logging.cfg"), folder.recorded(ours));
        assertEquals("file:" + etc + "/org.edgegate.logging.cfg", EtcFolder.key(etc.resolve("org.edgegate.logging.cfg")));
    }
}
