"""The Python peer of bench/regressors.ts: times scikit-learn's fits on the data file it is given
(argv[1], JSON {X, y, reps}) and prints {name: seconds per fit} as JSON. Run by regressors.ts."""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import AdaBoostRegressor, RandomForestRegressor
from sklearn.linear_model import BayesianRidge

data = json.load(open(sys.argv[1]))
X, y, reps = np.array(data["X"]), np.array(data["y"]), data["reps"]
models = {
    "BayesianRidge": lambda s: BayesianRidge(),
    "RandomForestRegressor": lambda s: RandomForestRegressor(random_state=s, n_jobs=1),
    "AdaBoostRegressor": lambda s: AdaBoostRegressor(random_state=s),
}
out = {}
for name, make in models.items():
    make(0).fit(X, y).predict(X)  # warm-up
    start = time.perf_counter()
    for s in range(reps[name]):
        make(s).fit(X, y).predict(X)
    out[name] = (time.perf_counter() - start) / reps[name]
print(json.dumps(out))
