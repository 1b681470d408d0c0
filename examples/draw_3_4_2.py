"""The slides' 3-4-2 network drawn with their names. Usage: python examples/draw_3_4_2.py [NAME] (NAME.dot, .svg)"""
from lecture import cli_args, script_exit, slide_names
from nn import MLP, half_sum_squared_error

parser = cli_args.picture_parser("The slides' 3-4-2 network drawn with their names.", default="3-4-2")
model = MLP(3, [2, 2], activation="sigmoid", output_activation="sigmoid")
model.layers[0].set_weight_table([[0.5, 0.5], [0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])  # w1: bias row first
model.layers[1].set_weight_table([[0.5, 0.5], [0.7, 0.8], [0.9, 0.1]])  # w2
E = half_sum_squared_error(model([1.0, 4.0, 5.0]), [0.1, 0.05])  # row r = 1 of the slides' table
E.backward()
picture = slide_names.draw_named(model, E)
script_exit.run_script(lambda: print(picture.save_picture(parser.parse_args().name)), parser.prog)  # exits as demo.py
