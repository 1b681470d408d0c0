"""The slides' worked examples and lecture analysis, built on the library (`nn`, `viz`, `autograd`).

`slides_mlp` (the 3-4-2 MLP, number for number), `hello_rnn` (the "hello"
RNN and its BPTT), `vanishing` (gradient reach, RNN against LSTM),
`lstm_cells` (what a trained LSTM's units track), `training` (the seeded
training loops), `corpus` (texts to train on), and the tour's
`output_folder` (written through `safe_files`, names planned in `tour_files`),
`index_page`, `progress` bar and command-line checks (`cli_args`). The library never imports this package.
"""
