package org.seggateway.cli;

import picocli.CommandLine.Command;

@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Model packages: import models trained elsewhere (docs/model-package.md, \"Importing models\").",
        subcommands = {ModelImportNnunetCommand.class, ModelImportOnnxCommand.class})
final class ModelCommand {
}
