package org.edgegate.docs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * docs/configuration.md is generated from the Metatype that bnd writes for every bundle
 * (bundles/NAME/target/classes/OSGI-INF/metatype/*.xml, built before this module): this test fails when
 * the committed file differs from what the annotations say now, and writes the fresh one to
 * runtime/target/configuration.md. Run with {@code -Dedgegate.docs.update=true} to update docs/ in place.
 */
public class ConfigurationReferenceTest {
    private static final Path ROOT = Paths.get(System.getProperty("user.dir")).getParent();
    private static final Path DOC = ROOT.resolve("docs/configuration.md");

    @Test
    public void committedReferenceMatchesTheMetatype() throws Exception {
        String fresh = generate();
        Path out = ROOT.resolve("runtime/target/configuration.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, fresh, StandardCharsets.UTF_8);
        if (Boolean.getBoolean("edgegate.docs.update")) {
            Files.writeString(DOC, fresh, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";
        assertEquals("docs/configuration.md is stale: the Metatype annotations changed. Rebuild it with"
                + " mvn -B test -pl runtime -am -Dtest=ConfigurationReferenceTest -Dedgegate.docs.update=true"
                + " -Dsurefire.failIfNoSpecifiedTests=false (or copy " + out + ")", fresh, committed);
    }

    @Test
    public void everyConfiguredBundleIsInTheReference() throws Exception {
        String fresh = generate();
        for (String pid : List.of("org.edgegate.serial.sensor", "org.edgegate.camera", "org.edgegate.zmq.endpoint",
                "org.edgegate.state")) {
            assertTrue(pid, fresh.contains("`" + pid + "`"));
        }
        assertFalse("a default is in the table, not the prose", fresh.contains("| `baud` | Integer | | "));
        assertTrue(fresh, fresh.contains("| `baud` | Integer | `115200` |"));
    }

    /** The reference: one section per configuration (PID), one table row per key. */
    static String generate() throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> bundles = Files.list(ROOT.resolve("bundles"))) {
            for (Path b : bundles.sorted().toList()) {
                Path dir = b.resolve("target/classes/OSGI-INF/metatype");
                if (Files.exists(b.resolve("pom.xml")) && Files.isDirectory(dir)) {
                    try (Stream<Path> xml = Files.list(dir)) {
                        xml.filter(p -> p.toString().endsWith(".xml")).sorted().forEach(files::add);
                    }
                }
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
                .append("Generated from the bundles' Metatype annotations (what the Web Console's Configuration tab shows)\n")
                .append("by `runtime/src/test/java/org/edgegate/docs/ConfigurationReferenceTest.java`; do not edit by hand:\n")
                .append("the build fails when this file is stale. A factory configuration is a file\n")
                .append("`etc/<factory PID>-<name>.cfg` (one per sensor, camera, endpoint …); a singleton one `etc/<PID>.cfg`.\n")
                .append("Keys left out take the default shown.\n");
        for (Path f : files) {
            section(md, f);
        }
        return md.toString();
    }

    private static void section(StringBuilder md, Path file) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            doc = f.newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new IOException("cannot read " + file, e);
        }
        NodeList designates = doc.getElementsByTagName("Designate");
        NodeList ocds = doc.getElementsByTagName("OCD");
        for (int i = 0; i < ocds.getLength(); i++) {
            Element ocd = (Element) ocds.item(i);
            String ocdId = ocd.getAttribute("id");
            String pid = ocdId;
            boolean factory = false;
            for (int d = 0; d < designates.getLength(); d++) {
                Element des = (Element) designates.item(d);
                Element object = (Element) des.getElementsByTagName("Object").item(0);
                if (object != null && object.getAttribute("ocdref").equals(ocdId) && !factory) {
                    factory = !des.getAttribute("factoryPid").isEmpty();
                    pid = factory ? des.getAttribute("factoryPid") : des.getAttribute("pid");
                }
            }
            md.append("\n## ").append(ocd.getAttribute("name")).append("\n\n")
                    .append(factory ? "Factory PID" : "PID").append(" `").append(pid).append("` (bundle `")
                    .append(file.getParent().getParent().getParent().getParent().getParent().getFileName())
                    .append("`). ").append(cell(ocd.getAttribute("description"))).append("\n\n")
                    .append("| key | type | default | what |\n| --- | --- | --- | --- |\n");
            NodeList ads = ocd.getElementsByTagName("AD");
            for (int a = 0; a < ads.getLength(); a++) {
                Element ad = (Element) ads.item(a);
                String type = ad.getAttribute("type") + (ad.getAttribute("cardinality").isEmpty() ? "" : "[]");
                String def = ad.getAttribute("default");
                StringBuilder what = new StringBuilder(cell(ad.getAttribute("name")) + ": "
                        + cell(ad.getAttribute("description")));
                NodeList options = ad.getElementsByTagName("Option");
                if (options.getLength() > 0) {
                    what.append(" One of:");
                    for (int o = 0; o < options.getLength(); o++) {
                        Element opt = (Element) options.item(o);
                        what.append(o == 0 ? " " : ", ").append('`').append(opt.getAttribute("value")).append('`');
                    }
                    what.append('.');
                }
                if ("false".equals(ad.getAttribute("required"))) {
                    what.append(" Optional.");
                }
                md.append("| `").append(ad.getAttribute("id")).append("` | ").append(type).append(" | ")
                        .append(def.isEmpty() ? "" : "`" + def.replace("|", "\\|") + "`").append(" | ")
                        .append(what).append(" |\n");
            }
        }
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;");
    }
}
