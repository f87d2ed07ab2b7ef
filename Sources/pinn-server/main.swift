// pinn-server: the HTTP service. Settings: config/server.json, PINN_* environment variables, --flags.
ServerCommand.run()
