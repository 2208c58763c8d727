package org.seggateway.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/http-api.md in step with the API: every operation (method and path) of the OpenAPI document has a heading
 * {@code ### METHOD /path} there with a line {@code Roles: `role`, ...} naming exactly the roles the operation allows,
 * and every such heading names an operation that exists.
 */
@QuarkusTest
class HttpApiDocTest {
    static final Path DOC = Path.of("..", "docs", "http-api.md");
    /** Resources of the test sources only (e.g. OperatorOnlyTestResource); not part of the product. */
    private static final String TEST_ONLY_PATHS = "/api/test-only/";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Pattern HEADING = Pattern.compile("^#{2,4} (GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS) (/\\S+)\\s*$");
    private static final Pattern ROLES = Pattern.compile("^Roles: (.+)$");
    private static final Pattern ROLE = Pattern.compile("`([a-z]+)`");

    @Test
    void everyOperationIsDocumentedWithItsRolesAndNothingElseIs() throws IOException {
        Map<String, Set<String>> api = operationsOfTheApi();
        Map<String, Set<String>> documented = operationsOfTheDoc();

        Set<String> undocumented = new TreeSet<>(api.keySet());
        undocumented.removeAll(documented.keySet());
        Set<String> unknown = new TreeSet<>(documented.keySet());
        unknown.removeAll(api.keySet());
        assertThat(undocumented).as("operations of /q/openapi without a '### METHOD /path' heading in " + DOC).isEmpty();
        assertThat(unknown).as("headings of " + DOC + " that name no operation of /q/openapi").isEmpty();
        assertThat(documented).as("the 'Roles:' line under each heading of " + DOC).isEqualTo(api);
    }

    /** "METHOD /path" to the roles of its security requirements, from the document the running gateway serves. */
    private static Map<String, Set<String>> operationsOfTheApi() {
        Map<String, Map<String, Object>> paths = given().get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath().getMap("paths");
        Map<String, Set<String>> operations = new TreeMap<>();
        paths.forEach((path, item) -> {
            if (path.startsWith(TEST_ONLY_PATHS)) return;
            item.forEach((method, operation) -> {
                if (METHODS.contains(method))
                    operations.put(method.toUpperCase(Locale.ROOT) + " " + path, roles(operation));
            });
        });
        assertThat(operations).as("operations in /q/openapi").isNotEmpty();
        return operations;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> roles(Object operation) {
        Set<String> roles = new TreeSet<>();
        var security = (List<Map<String, List<String>>>) ((Map<String, Object>) operation).get("security");
        if (security != null) security.forEach(requirement -> requirement.values().forEach(roles::addAll));
        return roles;
    }

    private static Map<String, Set<String>> operationsOfTheDoc() throws IOException {
        Map<String, Set<String>> operations = new TreeMap<>();
        Set<String> twice = new HashSet<>();
        String operation = null;
        for (String line : Files.readAllLines(DOC)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                operation = heading.group(1) + " " + heading.group(2);
                if (operations.put(operation, new TreeSet<>()) != null) twice.add(operation);
                continue;
            }
            if (line.startsWith("#")) operation = null;
            Matcher roles = ROLES.matcher(line);
            if (operation != null && roles.matches()) {
                Matcher role = ROLE.matcher(roles.group(1));
                while (role.find()) operations.get(operation).add(role.group(1));
            }
        }
        assertThat(twice).as("operations with more than one heading in " + DOC).isEmpty();
        return operations;
    }
}
