"""What a worker needs to think: the agent loop, the models (Claude and the offline policy), tools, the A2A
executor that runs the loop for a task, and the worker's composition root. Hosting is `agents.host`'s."""
